"""Registry: households, persons, membership and relation to the head, legal supporters,
declared income, assets and rigid expenditure, health/disability/labour capacity, and each
household's categories with effective dates and their full history.
"""
