"""The determination procedure (认定审批) of dibao, destitute, near-dibao, expenditure-hardship and
temporary-assistance applications, on the legal time limits, and what follows a decision
(reviews, periodic checks, re-assessments, termination).

One sub-package per feature, each with its services, views, forms and urls where it has them:

- ``procedure``: application → acceptance → investigation → review → publicity → confirmation
  (``services``, ``decisions``), work queues, the case page and its actions (/determination/);
- ``after``: reviews due and their outcomes, reported changes, terminations
  (/determination/reviews/);
- ``inclusion``: direct inclusion of existing registers (/determination/inclusion/);
- ``limits``: the time limits in force by region, and their page (/determination/limits/);
- ``documents``: notices kept as first issued, publicity lists, case archives.

Shared by them: ``models`` (``Application`` and its steps, ``CaseEvent`` — the household's
timeline, ``TimeLimits``), ``common`` (errors, checks, version bump, event, audit, form
refusals), ``deadlines`` and ``amounts`` (pure), ``selectors`` (scoped reads: queues, a case,
its timeline, the actions it offers, reviews due), ``services`` (every feature's services, the
app's one entry for other apps) and ``api`` (the cases API). See
docs/adr/0010-determination-procedure.md.
"""
