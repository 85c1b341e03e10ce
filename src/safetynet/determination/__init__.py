"""The determination procedure (认定审批) of dibao, destitute, near-dibao, expenditure-hardship and
temporary-assistance applications, on the legal time limits, and what follows a decision
(reviews, periodic checks, re-assessments, termination).

- models: the case (``Application``) and its steps, ``CaseEvent`` (the household's timeline),
  ``TimeLimits`` (per-region time limits, inherited county → city → province);
- limits: the time limits in force; deadlines: due dates (pure); amounts: monthly amounts (pure);
- services: every write (one transaction, optimistic lock, event, audit);
- selectors: work queues, escalations, reviews due, a case and its timeline (scoped).

See docs/adr/0010-determination-procedure.md.
"""
