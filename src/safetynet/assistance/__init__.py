"""Tiered assistance (四, 三(三) 分类推送, 五(二)): the assistance catalogue (``catalogue.py`` over
``data/assistance/catalogue.json``), referrals to the departments that owe a household help and
their feedback, assistance records (what was given, by whom, when, how much), and the household's
one timeline panel. Reads monitoring's and determination's public selectors; neither knows this
app (ADR 0013)."""
