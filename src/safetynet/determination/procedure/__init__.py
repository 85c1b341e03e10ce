"""The determination procedure (申请 → 受理 → 调查核对 → 审核 → 公示 → 审核确认): its services
(``services`` up to the confirmation request, ``decisions`` from it), the work queues, the case
page and one form per action (``views``, ``forms``), at /determination/ (the app's root)."""
