"""The assistance catalogue (四(一)–(六)) as data, and ``referrals_proposed``: the pure rule
saying which items a household qualifies for by category, residence and circumstance.

Each item of ``data/assistance/catalogue.json`` names the clause it comes from, the providing
department, the categories (``low_income`` = all six), the residence (empty = both) and the
circumstances any of which calls for it. Basic living (dibao, destitute support) is the
determination procedure's, listed but never proposed as a referral.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.registry.choices import Category

CATALOGUE = Path(settings.BASE_DIR) / "data" / "assistance" / "catalogue.json"
LOW_INCOME = "low_income"
LOW_INCOME_CATEGORIES = frozenset(Category.values)


class Circumstance(models.TextChoices):
    """What a household is facing; each calls for one or more items of the catalogue."""

    SERIOUS_ILLNESS = "serious_illness", _("大病、重特大疾病")
    CHRONIC_ILLNESS = "chronic_illness", _("慢性病需长期服药或门诊治疗")
    ACUTE_ILLNESS = "acute_illness", _("急危重伤病")
    STUDENT = "student", _("有在园幼儿、在校学生")
    HOUSING_NEED = "housing_need", _("城镇住房困难")
    DILAPIDATED_HOUSE = "dilapidated_house", _("农村住房为危房")
    UNEMPLOYED = "unemployed", _("下岗失业、有劳动能力未就业")
    DISTRESSED_WORKER = "distressed_worker", _("生活困难的职工")
    DISASTER = "disaster", _("遭遇自然灾害")
    LEGAL_AID = "legal_aid", _("申请法律援助")
    COMMUNITY_CORRECTION = "community_correction", _("社区矫正对象")
    LITIGATION_HARDSHIP = "litigation_hardship", _("涉法涉诉陷入困境")
    SUDDEN_HARDSHIP = "sudden_hardship", _("突发性、紧迫性、灾难性困难")
    CANNOT_SELF_CARE = "cannot_self_care", _("老年人、未成年人、残疾人生活不能自理")
    SOCIAL_WORK = "social_work", _("需要心理疏导等社会工作服务")
    CHARITY = "charity", _("需要慈善帮扶")
    DEATH = "death", _("家庭成员死亡(殡葬)")
    HEATING = "heating", _("冬季取暖困难")
    DISABILITY = "disability", _("有残疾人")
    SEVERE_DISABILITY = "severe_disability", _("有重度残疾人(一、二级)")
    DISABLED_CHILD = "disabled_child", _("有残疾儿童")


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    group: str
    clause: str
    department: str
    categories: frozenset[str]
    residence: frozenset[str]
    circumstances: frozenset[str]
    dispersed_only: bool
    referral: bool

    @property
    def department_label(self) -> str:
        return str(Department(self.department).label)

    def qualifies(self, facts: HouseholdFacts) -> bool:
        if facts.category not in self.categories:
            return False
        if self.residence and facts.residence not in self.residence:
            return False
        if self.dispersed_only and facts.category == Category.DESTITUTE and facts.centralised:
            return False
        return bool(self.circumstances & facts.circumstances)


@dataclass(frozen=True)
class HouseholdFacts:
    """What the rule reads: the household's category, residence, whether a destitute person is
    in centralised care (集中供养; 四(二)3 names only the dispersed), and its circumstances."""

    category: str
    residence: str
    circumstances: frozenset[str]
    centralised: bool = False


@dataclass(frozen=True)
class Proposal:
    item: Item
    reason: str


@cache
def items() -> tuple[Item, ...]:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    found = []
    for row in data["items"]:
        categories = set(row["categories"])
        if LOW_INCOME in categories:
            categories = (categories - {LOW_INCOME}) | LOW_INCOME_CATEGORIES
        unknown = (categories - LOW_INCOME_CATEGORIES) | (
            set(row["circumstances"]) - set(Circumstance.values)
        )
        if unknown or row["department"] not in Department.values:
            raise ValueError(f"帮扶目录第 {row['code']} 项有未知的类别、情形或部门：{unknown}")
        found.append(
            Item(
                code=row["code"],
                name=row["name"],
                group=row["group"],
                clause=row["clause"],
                department=row["department"],
                categories=frozenset(categories),
                residence=frozenset(row["residence"]),
                circumstances=frozenset(row["circumstances"]),
                dispersed_only=bool(row.get("dispersed_only", False)),
                referral=bool(row["referral"]),
            )
        )
    return tuple(found)


def item(code: str) -> Item:
    for candidate in items():
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def item_choices(*, referral_only: bool = True) -> list[tuple[str, str]]:
    return [(i.code, i.name) for i in items() if i.referral or not referral_only]


def item_name(code: str) -> str:
    try:
        return item(code).name
    except KeyError:
        return code


def referrals_proposed(facts: HouseholdFacts) -> list[Proposal]:
    """The referrals a household qualifies for, in catalogue order, each with its reason:
    the clause, the category and the circumstances that call for it."""
    proposals = []
    for candidate in items():
        if not candidate.referral or not candidate.qualifies(facts):
            continue
        why = "、".join(
            str(Circumstance(c).label)
            for c in Circumstance.values
            if c in candidate.circumstances & facts.circumstances
        )
        category = Category(facts.category).label
        proposals.append(
            Proposal(
                item=candidate,
                reason=f"依据豫政办〔2022〕103号{candidate.clause}：{category}家庭，{why}",
            )
        )
    return proposals
