"""Deterministic synthetic households for one county (`safetynet seed`).

The same county, count and seed always give the same households: names, ID numbers, ages,
incomes, assets and categories come from one ``random.Random(seed)`` and a fixed as-of date,
never from the clock or the database. Households look like a county register: families of
realistic shapes with consistent ages and GB/T 4761 relations, ID numbers issued in the county,
incomes spread around an example dibao standard, disability and illness at realistic rates,
and every household in a real village of the county.

``vocabulary`` holds the frequencies and example standards, ``families`` the people,
``economy`` the money, ``seed`` the audited write.
"""

from safetynet.registry.synthetic.families import HouseholdGenerator, Village
from safetynet.registry.synthetic.people import SyntheticMember, add_years, age_on
from safetynet.registry.synthetic.seed import (
    BATCH_SIZE,
    SeedError,
    SeedResult,
    county_villages,
    households_seed,
    seed_county,
    synthetic_households,
)
from safetynet.registry.synthetic.vocabulary import AS_OF, EXAMPLE_DIBAO_STANDARD

__all__ = [
    "AS_OF",
    "BATCH_SIZE",
    "EXAMPLE_DIBAO_STANDARD",
    "HouseholdGenerator",
    "SeedError",
    "SeedResult",
    "SyntheticMember",
    "Village",
    "add_years",
    "age_on",
    "county_villages",
    "households_seed",
    "seed_county",
    "synthetic_households",
]
