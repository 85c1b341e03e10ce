"""What the importing and verification features of feeds share: who may see and hand in which
source's batches (the one feeds permission check), on top of ``accounts.permissions.require``.

Batches hold no household of anyone's region (a department's file covers the whole province), so
the region scope does not apply to them; the department does. Without ``FEEDS_ALL_DEPARTMENTS``
(a department officer) one sees and imports only the sources of one's own department. The error
report and quarantine name rows of real people (masked ID numbers, names, amounts), so only the
batch's importer or a holder of ``DOWNLOAD_BATCH_ROWS`` may download them.
"""

from __future__ import annotations

from safetynet.accounts.permissions import Actor, PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
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


def batch_files_allowed(*, user: Actor | None, batch: FeedBatch) -> bool:
    """May ``user`` download the rows behind ``batch`` (error report, quarantine)?"""
    if user is None or not user.is_active:
        return False
    if allowed(user, Capability.DOWNLOAD_BATCH_ROWS):
        return True
    return batch.imported_by_id is not None and batch.imported_by_id == user.pk
