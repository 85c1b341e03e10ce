"""Policy: local standards by region and effective date (dibao standards, destitute and care
standards, near-dibao multiplier, disposable income, asset rules), the classifier that proposes a
household's category with explained reasons (row by row and set-based), and the working-day
calendar on which every legal deadline is counted. One sub-package per feature: ``standards``,
``assessment``, ``bulk``, ``calendar``; what they share is in ``common``.
"""
