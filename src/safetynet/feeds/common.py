"""What the importing and verification features of feeds share: who may see and hand in which
source's batches (the one feeds permission check), on top of ``accounts.permissions.require``.

Batches hold no household of anyone's region (a department's file covers the whole province), so
the region scope does not apply to them; the department does. Without ``FEEDS_ALL_DEPARTMENTS``
(a department officer) one sees and imports only the sources of one's own department. The error
report and quarantine name rows of real people (masked ID numbers, names, amounts), so only the
batch's importer or a holder of ``DOWNLOAD_BATCH_ROWS`` may download them.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.models import User
from safetynet.accounts.permissions import Actor, PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope, scope_prefix
from safetynet.feeds.catalogue import DEPARTMENT_LABELS, SourceSpec, source_get, source_list
from safetynet.feeds.models import FeedBatch


def department_label(code: str) -> str:
    return DEPARTMENT_LABELS.get(code, code)


def _own_department_only(actor: Actor) -> bool:
    return not allowed(actor, Capability.FEEDS_ALL_DEPARTMENTS)


def sources_visible(*, user: Actor | None) -> list[SourceSpec]:
    """The sources whose batches ``user`` may see: a department officer's own department's."""
    specs = source_list()
    if user is not None and _own_department_only(user):
        return [spec for spec in specs if spec.department == user.department]
    return specs


def sources_importable(*, user: Actor | None) -> list[SourceSpec]:
    if not allowed(user, Capability.IMPORT_FEEDS):
        return []
    return sources_visible(user=user)


def source_require_importable(actor: Actor | None, spec: SourceSpec) -> None:
    """The one check before a batch of ``spec`` is handed in: ``IMPORT_FEEDS``, and the source's
    department unless the actor holds ``FEEDS_ALL_DEPARTMENTS``; ``PermissionDenied`` otherwise."""
    require(actor, Capability.IMPORT_FEEDS)
    assert actor is not None  # require refuses nobody
    if _own_department_only(actor) and spec.department != actor.department:
        raise PermissionDenied(
            f"数据源“{spec.name}”由{department_label(spec.department)}提供，"
            f"您只能导入{department_label(actor.department)}的数据",
            capability=Capability.FEEDS_ALL_DEPARTMENTS,
        )


def source_importable(*, user: Actor | None, code: str) -> SourceSpec:
    """The source ``code`` if ``user`` may hand in its batches; unknown sources raise
    ``FeedImportError``, another department's ``PermissionDenied``."""
    require(user, Capability.IMPORT_FEEDS)
    spec = source_get(code)
    source_require_importable(user, spec)
    return spec


# A quarantine row's county: the address code of its ID number (kept beside the masked number,
# whose first three digits do not name a county), for per-row reading of a province-level batch.
COUNTY_COLUMN = "_county"


class BatchFiles:
    ALL = "all"  # the whole report and quarantine
    COUNTY_ROWS = "county_rows"  # the quarantined rows of the reader's own county only
    NONE = ""


def batch_region_for(importer: Any) -> str:
    """The county a batch imported by ``importer`` belongs to, fixed when it is imported: the
    county of the importer's scope when that is a county or below; "" for a province-level
    batch (a department system's, the province's, a city's)."""
    region = getattr(importer, "scope_region", None) if importer is not None else None
    if region is None or region.level in ("province", "city"):
        return ""
    return f"{str(region.code)[:6]}000000"


def batch_owner_code(batch: FeedBatch) -> str:
    """The county a batch belongs to ("" for a province-level one), as stored with it: moving
    its importer to another county later does not move the batch."""
    return batch.region_code


def batch_files_access(*, user: User | None, batch: FeedBatch) -> str:
    """How much of the rows behind ``batch`` (error report, quarantine) ``user`` may download."""
    if user is None or not user.is_active:
        return BatchFiles.NONE
    if batch.imported_by_id is not None and batch.imported_by_id == user.pk:
        return BatchFiles.ALL
    if not allowed(user, Capability.DOWNLOAD_BATCH_ROWS):
        return BatchFiles.NONE
    owner = batch_owner_code(batch)
    if owner:
        return BatchFiles.ALL if in_scope(owner, user=user) else BatchFiles.NONE
    region = getattr(user, "scope_region", None)
    if region is not None and region.level == "province":
        return BatchFiles.ALL
    return BatchFiles.COUNTY_ROWS if scope_prefix(user) else BatchFiles.NONE


def batch_files_allowed(*, user: User | None, batch: FeedBatch) -> bool:
    """May ``user`` download the whole of the rows behind ``batch``?"""
    return batch_files_access(user=user, batch=batch) == BatchFiles.ALL
