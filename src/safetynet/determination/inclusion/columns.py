"""A register's columns beyond the household import's, its kinds, the category and watch
labels it may use, its dates, and what an inclusion reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.core.dates import parse_date as core_parse_date
from safetynet.determination.models import (
    ApplicationType,
    CareTier,
)
from safetynet.registry.choices import Category, RelapseWatchType
from safetynet.registry.import_format import (
    Cell,
    Column,
    ImportValueError,
    normalise_header,
)
from safetynet.registry.imports import (
    ImportResult,
)
from safetynet.registry.models import (
    Household,
)

CAPABILITIES = (
    Capability.IMPORT_HOUSEHOLDS,
    Capability.SET_CATEGORY,
    Capability.CONFIRM_DETERMINATION,
)


def require_inclusion(actor: User) -> None:
    """Direct inclusion registers households, sets their category and stands for the county's
    confirmation: it takes all three capabilities."""
    for capability in CAPABILITIES:
        require(actor, capability, message="您没有直接纳入名册的权限")


class RegisterKind(models.TextChoices):
    DIBAO = "dibao", _("低保名册")
    DESTITUTE = "destitute", _("特困人员名册")
    RELAPSE_WATCH = "relapse_watch", _("防止返贫监测对象名册")


# --- the register columns beyond the household import's ---------------------------------------

EXTRA_COLUMNS: list[Column] = [
    Column(
        "included_on",
        "纳入日期",
        ("认定日期", "批准日期", "审批日期", "生效日期", "纳入时间", "认定时间", "纳入监测日期"),
        "必填",
        "原名册中的认定（纳入）日期，作为类别或监测标识的生效日期；写在户主所在行，"
        "特困和单人保也可写在保障对象本人所在行",
    ),
    Column(
        "category",
        "保障类别",
        ("救助类别", "保障类型"),
        "低保名册选填",
        "低保 或 单人保；不填为低保",
    ),
    Column(
        "beneficiary",
        "保障对象",
        ("是否保障对象", "特困人员", "是否特困人员", "是否单人保对象"),
        "特困名册、单人保必填",
        "特困人员或单人保对象本人所在行填“是”；只有一人的特困家庭可不填",
    ),
    Column(
        "watch_type",
        "监测类型",
        ("监测对象类型", "监测对象类别", "防返贫监测类型", "防止返贫监测类型"),
        "防返贫监测名册必填",
        "脱贫不稳定户、边缘易致贫户 或 突发严重困难户；写在户主所在行",
    ),
    Column(
        "monthly_amount",
        "月保障金额",
        ("保障金额", "月救助金额", "救助金额", "月供养金", "供养金额", "月补差金额"),
        "选填",
        "原名册中的月保障金额（元）；写在户主所在行，特困和单人保写在保障对象本人所在行",
    ),
    Column(
        "care_tier",
        "照料护理等级",
        ("护理等级", "自理能力", "生活自理能力"),
        "特困名册选填",
        "全自理、半护理 或 全护理",
    ),
]
EXTRA_BY_KEY = {column.key: column for column in EXTRA_COLUMNS}
REQUIRED_EXTRA: dict[str, tuple[str, ...]] = {
    RegisterKind.DIBAO: ("included_on",),
    RegisterKind.DESTITUTE: ("included_on",),
    RegisterKind.RELAPSE_WATCH: ("included_on", "watch_type"),
}
_EXTRA_ALIASES = {
    normalise_header(alias): column.key
    for column in EXTRA_COLUMNS
    for alias in (column.header, *column.aliases)
}
DIBAO_CATEGORIES = {
    "低保": Category.DIBAO.value,
    "最低生活保障": Category.DIBAO.value,
    "dibao": Category.DIBAO.value,
    "单人保": Category.INDIVIDUAL_DIBAO.value,
    "individual_dibao": Category.INDIVIDUAL_DIBAO.value,
}
WATCH_TYPES = {str(label): value for value, label in RelapseWatchType.choices}
WATCH_TYPES.update({value: value for value in RelapseWatchType.values})
WATCH_TYPES.update(
    {"脱贫不稳定": "unstable", "边缘易致贫": "at_risk", "突发严重困难": "sudden_hardship"}
)
TYPE_OF_CATEGORY = {
    Category.DIBAO.value: ApplicationType.DIBAO.value,
    Category.INDIVIDUAL_DIBAO.value: ApplicationType.DIBAO.value,
    Category.DESTITUTE.value: ApplicationType.DESTITUTE.value,
}
REASON: dict[str, str] = {
    RegisterKind.DIBAO: "直接纳入：原低保名册",
    RegisterKind.DESTITUTE: "直接纳入：原特困人员名册",
    RegisterKind.RELAPSE_WATCH: "直接纳入：原防止返贫监测对象名册",
}
CARE_TIERS = {str(label): value for value, label in CareTier.choices}
CARE_TIERS.update({value: value for value in CareTier.values})
CARE_TIERS.update({"自理": "self", "完全自理": "self", "部分自理": "partial", "不能自理": "full"})
NOT_A_MEMBER = "该户已登记，但此人不是该户现有成员；请先在家庭档案中调整成员后再导入"


# --- dates ---------------------------------------------------------------------------------------


def parse_date(value: Cell, *, today: dt.date) -> dt.date:
    """A register date: a date cell, or the ways registers write one (``core.dates``); a month
    means its 1st."""
    try:
        day = core_parse_date(value, month_means_first=True)
    except ValueError as exc:
        raise ImportValueError(str(exc)) from exc
    if day > today:
        raise ImportValueError("纳入日期晚于今天")
    if day.year < 1990:
        raise ImportValueError("纳入日期早于 1990 年，不合理")
    return day


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the register says about one household: a category (of the household, or of one
    member) or an anti-relapse watch, from a date."""

    category: str = ""
    watch_type: str = ""
    member_id_number: str = ""  # for categories that attach to one member
    effective_from: dt.date = dt.date.min
    row: int = 0  # the spreadsheet row the date was read from
    monthly_amount: Decimal | None = None
    care_tier: str = ""

    @property
    def status(self) -> str:
        return self.watch_type or self.category


@dataclass
class InclusionResult(ImportResult):
    kind: str = ""
    included: list[Household] = field(default_factory=list)
    statuses: int = 0  # categories and watches recorded
