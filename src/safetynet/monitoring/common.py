"""Shared pieces of the monitoring app: the enumerations every feature uses, the monitoring group
rule (三(一)), and small helpers."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.registry.choices import Category


class Group(models.TextChoices):
    """The monitoring group of a person, derived from the current category (三(一))."""

    ASSISTED = "assisted", _("已纳入救助(低保、特困)")
    FOCUS = "focus", _("重点监测(低保边缘、支出型困难、其他低收入)")
    ANTI_RELAPSE = "anti_relapse", _("防止返贫监测对象")
    REGISTERED = "registered", _("在库其他人员")


# What an indicator watches: a group, or everyone in the low-income database.
WATCH_ALL = "all"
WATCH_CHOICES = [(WATCH_ALL, "全部在库人员"), *Group.choices]

ASSISTED_CATEGORIES = frozenset({Category.DIBAO, Category.INDIVIDUAL_DIBAO, Category.DESTITUTE})
FOCUS_CATEGORIES = frozenset(
    {Category.NEAR_DIBAO, Category.EXPENDITURE_HARDSHIP, Category.OTHER_LOW_INCOME}
)


def group_of(*, household_category: str, person_category: str, relapse_watch: str) -> str:
    """Assisted before focus before anti-relapse: the strongest tie decides the group."""
    if person_category in ASSISTED_CATEGORIES or household_category in ASSISTED_CATEGORIES:
        return Group.ASSISTED
    if household_category in FOCUS_CATEGORIES:
        return Group.FOCUS
    if relapse_watch:
        return Group.ANTI_RELAPSE
    return Group.REGISTERED


class HardshipType(models.TextChoices):
    ILLNESS = "illness", _("疾病")
    DISABILITY = "disability", _("残疾")
    SCHOOLING = "schooling", _("就学")
    UNEMPLOYMENT = "unemployment", _("失业")
    DISASTER = "disaster", _("灾害")
    DEATH = "death", _("死亡")
    ELIGIBILITY = "eligibility", _("资格")
    DELIVERY = "delivery", _("政策落实")


# The department a referral goes to, by hardship type (三(三): 分类转办).
REFERRAL_DEPARTMENTS: dict[str, str] = {
    HardshipType.ILLNESS: "medical_security",
    HardshipType.DISABILITY: "disabled_federation",
    HardshipType.SCHOOLING: "education",
    HardshipType.UNEMPLOYMENT: "human_resources",
    HardshipType.DISASTER: "emergency",
    HardshipType.DEATH: "civil_affairs",
    HardshipType.ELIGIBILITY: "civil_affairs",
    HardshipType.DELIVERY: "medical_security",
}


class Severity(models.TextChoices):
    HIGH = "high", _("红色(高)")
    MEDIUM = "medium", _("橙色(中)")
    LOW = "low", _("黄色(低)")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    CHECKING = "checking", _("核查中")
    DONE = "done", _("已核查处置")
    GONE = "gone", _("条件消失自动关闭")


# Alerts nobody has acted on: the only ones a re-scan may close as gone.
UNTOUCHED = (AlertStatus.OPEN,)


class CheckKind(models.TextChoices):
    ALERT = "alert", _("预警核查")
    SURVEY = "survey", _("随机调查")
    CONTRACTED = "contracted", _("购买服务走访")
    PERIODIC = "periodic", _("定期核查")


class CheckStatus(models.TextChoices):
    DUE = "due", _("待走访")
    DONE = "done", _("已走访")
    CANCELLED = "cancelled", _("已撤销")


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("确有困难(告知政策、可发起申请)")
    REFERRED = "referred", _("转相关部门")
    NO_CHANGE = "no_change", _("无变化")
    DATA_WRONG = "data_wrong", _("数据有误(退回数据来源部门)")
    MAY_NOT_QUALIFY = "may_not_qualify", _("可能不再符合条件(提出终止)")
    SPECIAL = "special", _("特殊情况(县级一事一议)")


def month_key(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def acting_user(username: str) -> Any:
    """The account a console command acts as: ``--as USER``, else ``SAFETYNET_USER``, else the
    system account (province scope), as the feeds and classify commands do."""
    from django.core.management.base import CommandError

    from safetynet.accounts.models import User
    from safetynet.accounts.services import system_user

    username = username or os.environ.get("SAFETYNET_USER", "")
    if not username:
        return system_user()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在或已停用")
    return user
