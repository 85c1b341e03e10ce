"""Writes to the registry. Every function is an audited action inside one transaction.

One module per concern: ``common`` (refusals, permission and scope checks, shared helpers),
``conflicts`` (registration checks, the ID-conflict queue), ``households`` (create, edit, change
the head), ``members`` (edit, add, remove, death), ``declared`` (incomes, assets, expenditures,
supporters), ``statuses`` (dated categories and relapse watches) and ``reads`` (audited views).
Every public name is re-exported here, so ``from safetynet.registry.services import X`` and
``services.X`` keep working.
"""

from __future__ import annotations

from safetynet.registry.services.common import (
    REUSED_PERSON_FIELDS,
    HouseholdValidationError,
    PermissionDenied,
    RegistryError,
    money,
    require,
    writable_village_codes,
)
from safetynet.registry.services.conflicts import (
    households_validate,
    id_conflict_resolve,
    id_conflicts,
    taken_id_hashes,
)
from safetynet.registry.services.declared import (
    assets_replace,
    expenditures_replace,
    incomes_of_member_set,
    incomes_replace,
    supporter_add,
    supporter_remove,
)
from safetynet.registry.services.households import (
    CreateResult,
    household_change_head,
    household_update,
    households_create,
)
from safetynet.registry.services.members import (
    FORMER_HEAD_RELATION,
    PERSON_EDITABLE,
    DeathRecorded,
    member_add,
    member_died,
    member_remove,
    member_update,
)
from safetynet.registry.services.reads import (
    household_viewed,
    id_number_searched,
    person_reveal_id_number,
    person_viewed,
)
from safetynet.registry.services.statuses import (
    APPLY_DUE_LOOKBACK,
    DATED_CHUNK,
    DatedChange,
    DatedChangeRefused,
    StatusesApplied,
    categories_record_many,
    category_set,
    relapse_watch_set,
    relapse_watches_record_many,
    statuses_apply_due,
)
from safetynet.registry.validation import Problem

__all__ = [
    "APPLY_DUE_LOOKBACK",
    "DATED_CHUNK",
    "FORMER_HEAD_RELATION",
    "PERSON_EDITABLE",
    "REUSED_PERSON_FIELDS",
    "CreateResult",
    "DatedChange",
    "DatedChangeRefused",
    "DeathRecorded",
    "HouseholdValidationError",
    "PermissionDenied",
    "Problem",
    "RegistryError",
    "StatusesApplied",
    "assets_replace",
    "categories_record_many",
    "category_set",
    "expenditures_replace",
    "household_change_head",
    "household_update",
    "household_viewed",
    "households_create",
    "households_validate",
    "id_conflict_resolve",
    "id_conflicts",
    "id_number_searched",
    "incomes_of_member_set",
    "incomes_replace",
    "member_add",
    "member_died",
    "member_remove",
    "member_update",
    "money",
    "person_reveal_id_number",
    "person_viewed",
    "relapse_watch_set",
    "relapse_watches_record_many",
    "require",
    "statuses_apply_due",
    "supporter_add",
    "supporter_remove",
    "taken_id_hashes",
    "writable_village_codes",
]
