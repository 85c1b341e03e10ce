"""Oversight reads: the queues (scoped), one object by id (``access_*``, 404 outside the scope),
the public follow-up answer (status only), the household's credit panel, and figures per county."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.oversight.common import normalise_number
from safetynet.oversight.models import (
    Declaration,
    DeclarationStatus,
    Recovery,
    Repayment,
    TipOff,
    TipOffStatus,
    Transition,
)
from safetynet.regions.models import Region


def declaration_list(
    *, user: User, status: str = "", overdue: bool = False
) -> QuerySet[Declaration]:
    require(user, Capability.VIEW_OVERSIGHT)
    rows = scope_queryset(Declaration.objects.all(), user=user)
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status=DeclarationStatus.AWAITING_VISIT, due_on__lt=timezone.localdate())
    return rows.order_by("status", "due_on", "id")


@dataclass(frozen=True)
class Waiting:
    declarations: int
    declarations_overdue: int
    tipoffs_open: int


def waiting_counts(*, user: User, today: dt.date | None = None) -> Waiting:
    """What the workbench shows: declarations awaiting a visit (of them overdue), open tip-offs."""
    today = today or timezone.localdate()
    declarations = scope_queryset(Declaration.objects.all(), user=user).filter(
        status=DeclarationStatus.AWAITING_VISIT
    )
    counts = declarations.aggregate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    tipoffs = scope_queryset(TipOff.objects.all(), user=user).exclude(status=TipOffStatus.CLOSED)
    return Waiting(
        declarations=counts["n"], declarations_overdue=counts["late"], tipoffs_open=tipoffs.count()
    )


def declaration_access(*, user: User, pk: Any) -> Declaration:
    require(user, Capability.VIEW_OVERSIGHT)
    return access_scoped(Declaration.objects.all(), user=user, pk=pk)


def tipoff_list(*, user: User, status: str = "") -> QuerySet[TipOff]:
    require(user, Capability.VIEW_OVERSIGHT)
    rows = scope_queryset(TipOff.objects.all(), user=user)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("household__head").order_by("-received_on", "-id")


def tipoff_access(*, user: User, pk: Any) -> TipOff:
    require(user, Capability.VIEW_OVERSIGHT)
    return access_scoped(TipOff.objects.select_related("household__head"), user=user, pk=pk)


def recovery_list(*, user: User, status: str = "") -> QuerySet[Recovery]:
    require(user, Capability.VIEW_OVERSIGHT)
    rows = scope_queryset(Recovery.objects.all(), user=user)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("household__head").order_by("-decided_on", "-id")


def recovery_access(*, user: User, pk: Any) -> Recovery:
    require(user, Capability.VIEW_OVERSIGHT)
    return access_scoped(
        Recovery.objects.select_related("household__head", "tipoff"), user=user, pk=pk
    )


def repayments_of(recovery: Recovery) -> list[Repayment]:
    return list(recovery.repayments.select_related("recorded_by").order_by("paid_on", "id"))


def transitions_of(obj: Any) -> list[Transition]:
    return list(
        Transition.objects.filter(object_type=type(obj).__name__.lower(), object_id=obj.pk)
        .select_related("actor")
        .order_by("at", "id")
    )


def place_names(codes: Any) -> dict[str, str]:
    """Full names of the villages a page lists, in one query."""
    rows = Region.objects.filter(code__in=set(codes)).values_list("code", "full_name", "name")
    return {code: full or name for code, full, name in rows}


# --- the public follow-up ----------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """All a caller learns from a tip-off's number: whether it was received, handed to the
    township or closed, and when it is due. Nothing of its content or of anybody in it."""

    number: str
    status_label: str
    received_on: dt.date
    due_on: dt.date
    closed_on: dt.date | None


def tipoff_follow_up(*, number: str) -> FollowUp | None:
    tipoff = (
        TipOff.objects.filter(number=normalise_number(number))
        .only("number", "status", "received_on", "due_on", "closed_on")
        .first()
    )
    if tipoff is None:
        return None
    return FollowUp(
        number=tipoff.number,
        status_label=str(TipOffStatus(tipoff.status).label),
        received_on=tipoff.received_on,
        due_on=tipoff.due_on,
        closed_on=tipoff.closed_on,
    )


# --- credit (信用) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditPanel:
    marks: list[Recovery]
    open_balance: Decimal


def household_credit(*, household: Any, today: dt.date | None = None) -> CreditPanel:
    """The household's credit marks in force and what it still owes: the household page and the
    next application show them (the caller has already been allowed to see the household)."""
    today = today or timezone.localdate()
    recoveries = list(Recovery.objects.filter(household_id=household.pk).order_by("-decided_on"))
    marks = [
        r
        for r in recoveries
        if r.credit_mark and (r.credit_until is None or r.credit_until >= today)
    ]
    balance = sum((r.balance for r in recoveries), Decimal("0.00"))
    return CreditPanel(marks=marks, open_balance=balance)


# --- figures per county ------------------------------------------------------------------------


CENT = Decimal("0.01")


@dataclass(frozen=True)
class CountyFigures:
    county_code: str
    county_name: str
    tipoffs: int = 0
    tipoffs_open: int = 0
    tipoffs_substantiated: int = 0
    recoveries: int = 0
    recovery_amount: Decimal = Decimal("0.00")
    recovery_repaid: Decimal = Decimal("0.00")

    @property
    def recovery_balance(self) -> Decimal:
        return self.recovery_amount - self.recovery_repaid


def county_figures(
    *, user: User, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[CountyFigures]:
    """Tip-offs (received in the period) and recoveries (decided in it) per county of the
    user's scope: two grouped queries."""
    require(user, Capability.VIEW_OVERSIGHT)
    tipoffs = scope_queryset(TipOff.objects.all(), user=user)
    recoveries = scope_queryset(Recovery.objects.all(), user=user)
    if date_from:
        tipoffs = tipoffs.filter(received_on__gte=date_from)
        recoveries = recoveries.filter(decided_on__gte=date_from)
    if date_to:
        tipoffs = tipoffs.filter(received_on__lte=date_to)
        recoveries = recoveries.filter(decided_on__lte=date_to)
    rows: dict[str, dict[str, Any]] = {}
    for row in tipoffs.values("county_code").annotate(
        n=Count("id"),
        open=Count("id", filter=~Q(status=TipOffStatus.CLOSED)),
        substantiated=Count("id", filter=Q(finding__in=["substantiated", "partly"])),
    ):
        rows.setdefault(row["county_code"], {}).update(
            tipoffs=row["n"], tipoffs_open=row["open"], tipoffs_substantiated=row["substantiated"]
        )
    for county, n, amount, repaid in (
        recoveries.values("county_code")
        .annotate(n=Count("id"), amount=Sum("amount"), repaid=Sum("repaid"))
        .values_list("county_code", "n", "amount", "repaid")
    ):
        rows.setdefault(county, {}).update(
            recoveries=n,
            # SQLite sums decimals as REAL: back to yuan and fen.
            recovery_amount=Decimal(amount or 0).quantize(CENT),
            recovery_repaid=Decimal(repaid or 0).quantize(CENT),
        )
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    return [
        CountyFigures(county_code=code, county_name=names.get(code, code), **values)
        for code, values in sorted(rows.items())
    ]
