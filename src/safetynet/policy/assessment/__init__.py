"""Assessing one household (ADR 0005): the classification rules (``rules``), the row-by-row
classifier with every reason (``classifier`` with ``members``, ``terms`` and
``what_if``; pure), its facts from the registry or from JSON
(``facts``), the assessment of a registry household (``selectors``) and its what-if
(``trying``), the household's 评估 page at /policy/assessment/<id>/ and the API at
/api/assessment/<id> and /api/classify."""
