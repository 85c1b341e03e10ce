"""Accounts: users, their roles and departments, API tokens and each user's region scope.

Owns the one scope filter (``accounts.scope``) that every query of people and households
passes through, and the capability table that says what each role may do.
"""
