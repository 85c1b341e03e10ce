"""The one menu definition: the left side menu, grouped by work, and the breadcrumbs.

Each entry names the capabilities it needs (all of them, ADR 0003); the menu a user sees is
filtered through ``accounts.permissions.allowed``, so it never offers a page that would refuse.
An entry whose URL name does not resolve (an app not installed in this deployment) and a group
left with no entry are simply not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability as C


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    needs: tuple[str, ...] = ()
    # Further path prefixes that belong to this entry (pages reached from it).
    also: tuple[str, ...] = ()
    check: Callable[[Any], bool] | None = None
    raw_url: str = ""


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[Item, ...]


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False))


def _department_only(user: Any) -> bool:
    """A department's own inbox: shown to those who do not see every department's referrals."""
    return not allowed(user, C.VIEW_ALL_REFERRALS)


MENU: tuple[Group, ...] = (
    Group("工作台", (Item("首页", "web:home"),)),
    Group(
        "对象管理",
        (
            Item("家庭档案", "registry:list", (C.VIEW_HOUSEHOLDS,), also=("/households/",)),
            Item("新增家庭", "registry:create", (C.EDIT_HOUSEHOLDS,)),
            Item("批量导入", "registry:import", (C.IMPORT_HOUSEHOLDS,)),
            Item("登记冲突", "registry:conflicts", (C.RESOLVE_ID_CONFLICTS,)),
            Item(
                "直接纳入",
                "determination:inclusion",
                (C.IMPORT_HOUSEHOLDS, C.CONFIRM_DETERMINATION),
            ),
        ),
    ),
    Group(
        "认定办理",
        (
            Item("村级申请", "web:village_desk", (C.ENTER_APPLICATIONS,), also=("/desk/",)),
            Item(
                "办理队列",
                "determination:queue",
                (C.VIEW_CASES,),
                also=("/determination/cases/", "/determination/apply/", "/determination/export/"),
            ),
            Item("县级审核", "determination:county_queue", (C.CONFIRM_DETERMINATION, C.VIEW_CASES)),
            Item("超期督办", "determination:escalations", (C.VIEW_CASES,)),
            Item("公示名单", "determination:publicity_list", (C.VIEW_CASES,)),
            Item("档案校验", "determination:archive_verify", (C.VIEW_CASES,)),
        ),
    ),
    Group(
        "复核核查",
        (
            Item(
                "复核核查",
                "determination:review_list",
                (C.VIEW_CASES,),
                also=("/determination/reviews/",),
            ),
            Item("情况变化", "changes:list", (C.VIEW_HOUSEHOLDS,), also=("/changes/",)),
        ),
    ),
    Group(
        "动态监测",
        (
            Item(
                "监测预警",
                "monitoring:alert_list",
                (C.VIEW_MONITORING,),
                also=("/monitoring/alerts/",),
            ),
            Item(
                "入户核查",
                "monitoring:check_list",
                (C.RECORD_HOME_CHECKS,),
                also=("/monitoring/checks/",),
            ),
            Item("受托走访", "monitoring:check_list", (C.RECORD_CONTRACTED_VISITS,)),
            Item(
                "监测对象",
                "monitoring:watched",
                (C.VIEW_MONITORING,),
                also=("/monitoring/watched/",),
            ),
            Item("监测指标", "monitoring:indicators", (C.VIEW_MONITORING,)),
            Item("预警统计", "monitoring:figures", (C.VIEW_MONITORING,)),
        ),
    ),
    Group(
        "监督管理",
        (
            Item(
                "自主申报",
                "oversight:declaration_list",
                (C.VIEW_OVERSIGHT,),
                also=("/oversight/declarations/",),
            ),
            Item(
                "举报核查",
                "oversight:tipoff_list",
                (C.VIEW_OVERSIGHT,),
                also=("/oversight/tipoffs/",),
            ),
            Item(
                "追回与信用",
                "oversight:recovery_list",
                (C.VIEW_OVERSIGHT,),
                also=("/oversight/recoveries/",),
            ),
            Item("公示栏", "oversight:board", (C.VIEW_CASES,)),
            Item("群众公示异议", "oversight:public_objections", (C.VIEW_CASES,)),
            Item("监督统计", "oversight:figures", (C.VIEW_OVERSIGHT,)),
            Item("举报电话和时限", "oversight:settings", (C.VIEW_OVERSIGHT,)),
        ),
    ),
    Group(
        "救助帮扶",
        (
            Item(
                "分类推送",
                "assistance:index",
                (C.VIEW_ALL_REFERRALS,),
                also=("/assistance/referrals/", "/assistance/households/"),
            ),
            Item(
                "部门转办",
                "assistance:index",
                (C.HANDLE_REFERRALS,),
                also=("/assistance/referrals/",),
                check=_department_only,
            ),
            Item("报送帮扶", "assistance:report", (C.HANDLE_REFERRALS,)),
            Item("导入反馈", "assistance:import", (C.HANDLE_REFERRALS,)),
            Item("政策落实", "assistance:delivery", (C.VIEW_ALL_REFERRALS,)),
            Item(
                "一事一议",
                "assistance:coordination_list",
                (C.DECIDE_EMERGENCY,),
                also=("/assistance/coordination/",),
            ),
            Item("帮扶目录", "assistance:catalogue", (C.VIEW_HOUSEHOLDS,)),
            Item("发放名册", "assistance:payments", (C.VIEW_PAYMENTS,)),
            Item(
                "急难救助",
                "assistance:emergency_list",
                (C.GRANT_EMERGENCY,),
                also=("/assistance/emergency/",),
            ),
        ),
    ),
    Group(
        "部门数据",
        (
            Item("数据批次", "feeds:batch_list", (C.VIEW_FEEDS,)),
            Item("上传批次", "feeds:upload", (C.IMPORT_FEEDS,)),
            Item("数据来源", "feeds:source_list", (C.VIEW_FEEDS,)),
            Item("数据纠错", "monitoring:flag_list", (C.VIEW_FEEDS,), also=("/monitoring/flags/",)),
            Item(
                "核对报告",
                "feeds:verification_list",
                (C.VERIFY_HOUSEHOLDS,),
                also=("/feeds/verification/",),
            ),
        ),
    ),
    Group(
        "统计分析",
        (
            Item("批量评估", "policy:bulk", (C.ASSESS_HOUSEHOLDS,)),
            Item(
                "统计概览",
                "reports:dashboard",
                (C.VIEW_STATISTICS,),
                also=("/reports/drill/", "/reports/data/"),
            ),
            Item("统计月报", "reports:monthly", (C.VIEW_STATISTICS,), also=("/reports/monthly/",)),
            Item(
                "考核排名",
                "reports:assessment",
                (C.VIEW_STATISTICS,),
                also=("/reports/assessment/",),
            ),
            Item("金民工程交换", "jinmin:index", (C.VIEW_JINMIN,), also=("/jinmin/",)),
        ),
    ),
    Group(
        "系统设置",
        (
            Item("用户管理", "system:users", (C.MANAGE_USERS,), also=("/system/users/",)),
            Item("接口令牌", "system:tokens", (C.MANAGE_USERS,), also=("/system/tokens/",)),
            Item("部门单位", "system:offices", (C.MANAGE_USERS,), also=("/system/offices/",)),
            Item("地方标准", "policy:standards", also=("/policy/standards/",)),
            Item("工作日历", "policy:calendar", also=("/policy/calendar/",)),
            Item("办理时限", "determination:limits", (C.CONFIGURE_TIME_LIMITS,)),
            Item("审计日志", "audit:search", (C.VIEW_AUDIT,)),
            Item("修改密码", "password_change"),
            Item("接口文档", "", raw_url="/api/docs"),
            Item("技术管理", "admin:index", check=_staff),
        ),
    ),
)


@dataclass
class Entry:
    label: str
    url: str
    current: bool = False


@dataclass
class Section:
    label: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)


def _url(item: Item) -> str | None:
    if item.raw_url:
        return item.raw_url
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def _may(user: Any, item: Item) -> bool:
    if not all(allowed(user, need) for need in item.needs):
        return False
    return item.check is None or item.check(user)


def _match(path: str, url: str, item: Item) -> int:
    """How well ``path`` belongs to ``item``: the length of the longest matching prefix."""
    if url == "/":
        return 1 if path == "/" else 0
    best = 0
    for prefix in (url, *item.also):
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            best = max(best, len(prefix))
    return best


def menu_for(user: Any, path: str) -> list[Section]:
    """The sections ``user`` may use, with the entry of ``path`` marked current."""
    sections: list[Section] = []
    best: tuple[int, Entry | None] = (0, None)
    for group in MENU:
        section = Section(group.label)
        for item in group.items:
            if not _may(user, item):
                continue
            url = _url(item)
            if url is None:
                continue
            entry = Entry(item.label, url)
            section.entries.append(entry)
            score = _match(path, url, item)
            if score > best[0]:
                best = (score, entry)
        if section.entries:
            sections.append(section)
    if best[1] is not None:
        best[1].current = True
    return sections


def breadcrumbs(sections: list[Section]) -> list[Entry]:
    """首页 › group › entry for the current entry (the page's own title follows in the template)."""
    for section in sections:
        for entry in section.entries:
            if entry.current:
                if entry.url == "/":
                    return [entry]
                return [Entry("首页", "/"), Entry(section.label, entry.url), entry]
    return [Entry("首页", "/")]
