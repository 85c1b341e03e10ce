"""Edits to the holiday table: a day's entry and a year declared complete.

Each edit needs EDIT_CALENDAR, is audited in the same transaction and drops the compiled
calendar of this process at once (other processes notice within a second, see
``workdays._snapshot``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.policy.calendar import workdays
from safetynet.policy.models import CalendarDay, CalendarYear

if TYPE_CHECKING:
    from safetynet.accounts.models import User

NAME_MAX = CalendarDay._meta.get_field("name").max_length or 50
NOTE_MAX = CalendarDay._meta.get_field("note").max_length or 200
SOURCE_MAX = CalendarYear._meta.get_field("source").max_length or 200
# The package starts in 2004; earlier years are of no use to a deadline.
FIRST_YEAR = workdays.PACKAGE_FIRST_YEAR
LAST_YEAR = 2100


class CalendarError(Exception):
    """An edit the calendar refuses, with a Chinese message; ``field`` names the input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CalendarPermissionDenied(CalendarError):
    pass


def require_edit(actor: User) -> None:
    if actor is None or not actor.has_capability(Capability.EDIT_CALENDAR):
        raise CalendarPermissionDenied("您没有维护节假日安排的权限")


def check_year(year: int, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(f"年份须在 {FIRST_YEAR}—{LAST_YEAR} 之间", field=field)


def changed() -> None:
    workdays.cache_clear()
    # Again after commit: a page rendered between the edit and the commit may have compiled
    # the calendar from the state before.
    transaction.on_commit(workdays.cache_clear)


def _entry(day: CalendarDay | None) -> dict[str, Any] | None:
    if day is None:
        return None
    return {"is_working_day": day.is_working_day, "name": day.name, "note": day.note}


def calendar_day_set(
    *,
    actor: User,
    date: dt.date,
    is_working_day: bool,
    name: str = "",
    note: str = "",
    client: Client | None = None,
) -> CalendarDay:
    """Enter (or correct) one date as a holiday or an adjusted working day."""
    require_edit(actor)
    check_year(date.year, "date")
    name, note = name.strip(), note.strip()
    if len(name) > NAME_MAX:
        raise CalendarError(f"节日名称不能超过 {NAME_MAX} 个字", field="name")
    if len(note) > NOTE_MAX:
        raise CalendarError(f"说明不能超过 {NOTE_MAX} 个字", field="note")
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = _entry(existing)
        if existing is None:
            day = CalendarDay.objects.create(
                date=date,
                is_working_day=is_working_day,
                name=name,
                note=note,
                created_by=actor,
            )
        else:
            day = existing
            day.is_working_day, day.name, day.note = is_working_day, name, note
            day.save(update_fields=["is_working_day", "name", "note"])
        kind = "调休上班" if is_working_day else "放假"
        audit_record(
            actor=actor,
            action=Action.CREATE if existing is None else Action.UPDATE,
            object_type="calendar_day",
            object_id=date.isoformat(),
            summary="节假日安排：" + " ".join(filter(None, [date.isoformat(), name, kind])),
            detail={"before": before, "after": _entry(day)},
            client=client,
        )
        changed()
    return day


def calendar_day_delete(*, actor: User, date: dt.date, client: Client | None = None) -> None:
    """Remove a date's entry; the date then follows the package (or Monday–Friday) again."""
    require_edit(actor)
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
        if existing is None:
            raise CalendarError(f"{date.isoformat()} 没有录入的节假日安排", field="date")
        before = _entry(existing)
        existing.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="calendar_day",
            object_id=date.isoformat(),
            summary=f"删除节假日安排：{date.isoformat()}",
            detail={"before": before},
            client=client,
        )
        changed()


def calendar_year_declare(
    *, actor: User, year: int, source: str, client: Client | None = None
) -> CalendarYear:
    """Declare that the table holds a year's whole schedule, from the State Council's notice
    named in ``source``; the year's answers then carry no warning."""
    require_edit(actor)
    check_year(year, "year")
    source = source.strip()
    if not source:
        raise CalendarError(
            "请填写依据的国务院办公厅通知名称和文号（如 国办发明电〔2025〕7号）", field="source"
        )
    if len(source) > SOURCE_MAX:
        raise CalendarError(f"依据不能超过 {SOURCE_MAX} 个字", field="source")
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        before = None if existing is None else {"source": existing.source}
        if existing is None:
            declared = CalendarYear.objects.create(year=year, source=source, created_by=actor)
        else:
            declared = existing
            declared.source = source
            declared.save(update_fields=["source"])
        audit_record(
            actor=actor,
            action=Action.CREATE if existing is None else Action.UPDATE,
            object_type="calendar_year",
            object_id=str(year),
            summary=f"确认 {year} 年节假日安排已完整录入",
            detail={"before": before, "source": source},
            client=client,
        )
        changed()
    return declared


def calendar_year_withdraw(*, actor: User, year: int, client: Client | None = None) -> None:
    """Take back a declaration (entered too early or from the wrong notice)."""
    require_edit(actor)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        if existing is None:
            raise CalendarError(f"{year} 年尚未确认录入完整", field="year")
        source = existing.source
        existing.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="calendar_year",
            object_id=str(year),
            summary=f"撤销 {year} 年节假日安排的完整确认",
            detail={"source": source},
            client=client,
        )
        changed()
