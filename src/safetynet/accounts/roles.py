"""Roles and what each may do. Kept in code so that a capability check is one set lookup."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_ASSISTANT = "village_assistant", _("村(居)协理员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇(街道)经办人")
    COUNTY_OFFICER = "county_officer", _("县级民政经办人")
    SUPERVISOR = "supervisor", _("市/省级督导")
    DEPARTMENT_OFFICER = "department_officer", _("部门经办人")
    AUDITOR = "auditor", _("审计员")
    ADMINISTRATOR = "administrator", _("系统管理员")
    # A social organisation the county contracts for follow-up visits (政府购买服务, 三(三)).
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织(购买服务)")


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    MEDICAL_SECURITY = "medical_security", _("医保")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住建")
    HUMAN_RESOURCES = "human_resources", _("人社")
    EMERGENCY = "emergency", _("应急管理")
    JUSTICE = "justice", _("司法")
    COURTS = "courts", _("法院")
    TRADE_UNION = "trade_union", _("工会")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    RURAL_REVITALIZATION = "rural_revitalization", _("乡村振兴")
    FINANCE = "finance", _("财政")
    HEALTH = "health", _("卫健")
    DATA_ADMINISTRATION = "data_administration", _("政务数据")
    PUBLIC_SECURITY = "public_security", _("公安")
    MARKET_REGULATION = "market_regulation", _("市场监管")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")


class Capability(models.TextChoices):
    # Signs in with a second factor (TOTP) when settings.SECOND_FACTOR_REQUIRED is on (ADR 0017).
    SECOND_FACTOR = "second_factor", _("登录须二次验证")
    VIEW_HOUSEHOLDS = "view_households", _("查看家庭与人员")
    EDIT_HOUSEHOLDS = "edit_households", _("新增、修改家庭与人员")
    IMPORT_HOUSEHOLDS = "import_households", _("批量导入家庭")
    EXPORT_HOUSEHOLDS = "export_households", _("导出家庭清单")
    REVEAL_ID_NUMBER = "reveal_id_number", _("查看完整身份证号")
    SET_CATEGORY = "set_category", _("登记救助类别")
    VIEW_AUDIT = "view_audit", _("查询审计日志")
    ASSESS_HOUSEHOLDS = "assess_households", _("救助类别评估")
    EDIT_STANDARDS = "edit_standards", _("维护地方标准")
    EDIT_CALENDAR = "edit_calendar", _("维护节假日安排")
    VIEW_FEEDS = "view_feeds", _("查看部门数据批次")
    IMPORT_FEEDS = "import_feeds", _("导入部门数据")
    VERIFY_HOUSEHOLDS = "verify_households", _("出具家庭经济状况核对报告")
    ENTER_APPLICATIONS = "enter_applications", _("代为录入申请")
    ACCEPT_APPLICATIONS = "accept_applications", _("受理申请")
    INVESTIGATE = "investigate", _("入户调查")
    CONFIRM_DETERMINATION = "confirm_determination", _("审核确认")
    VIEW_CASES = "view_cases", _("查看认定案件")
    CONFIGURE_TIME_LIMITS = "configure_time_limits", _("维护办理时限")
    # Without it a department officer sees and hands in only their own department's sources.
    FEEDS_ALL_DEPARTMENTS = "feeds_all_departments", _("查看和导入各部门的数据批次")
    # A batch's error report and quarantine name real people; its importer may always fetch them.
    DOWNLOAD_BATCH_ROWS = "download_batch_rows", _("下载任一批次的错误报告和隔离数据")
    MANAGE_SOURCES = "manage_sources", _("新增部门数据源")
    VIEW_ALL_JOBS = "view_all_jobs", _("查看所有人提交的后台任务")
    EDIT_UPPER_STANDARDS = "edit_upper_standards", _("维护省级和市级地方标准")
    RESOLVE_ID_CONFLICTS = "resolve_id_conflicts", _("处理身份证号登记冲突")
    VIEW_MONITORING = "view_monitoring", _("查看动态监测预警")
    RUN_MONITORING_SCAN = "run_monitoring_scan", _("运行监测扫描")
    EDIT_INDICATORS = "edit_indicators", _("维护监测指标")
    RECORD_HOME_CHECKS = "record_home_checks", _("入户核查走访")
    ASSIGN_HOME_CHECKS = "assign_home_checks", _("随机调查抽样、委托社会组织走访")
    RECORD_CONTRACTED_VISITS = "record_contracted_visits", _("记录受委托的走访")
    VIEW_STATISTICS = "view_statistics", _("查看统计分析、月报和考核")
    VIEW_OVERSIGHT = "view_oversight", _("查看自主申报、举报和追回")
    HANDLE_OVERSIGHT = "handle_oversight", _("办理自主申报走访和举报核查")
    RECORD_RECOVERIES = "record_recoveries", _("登记追回决定、退款和信用记录")
    CONFIGURE_OVERSIGHT = "configure_oversight", _("设置举报电话和办理时限")
    EXCHANGE_JINMIN = "exchange_jinmin", _("与金民工程交换数据（含完整身份证号）")
    # The record of exchanges and their difference reports (masked IDs): who oversees them.
    VIEW_JINMIN = "view_jinmin", _("查看金民工程交换记录和比对差异")
    # Accounts, passwords, API tokens and department offices of the actor's own region.
    MANAGE_USERS = "manage_users", _("管理用户账号、接口令牌和部门单位")
    # Assistance (四, 三(三) 分类推送, 五(二)).
    SEND_REFERRALS = "send_referrals", _("分类推送至相关部门")
    HANDLE_REFERRALS = "handle_referrals", _("签收、反馈转办事项")
    # Without it an account sees only the referrals to its own department.
    VIEW_ALL_REFERRALS = "view_all_referrals", _("查看各部门的转办事项")
    VIEW_PAYMENTS = "view_payments", _("查看救助金发放名册")
    # 四(三): a township grants within its delegated limit; the county decides above it.
    GRANT_EMERGENCY = "grant_emergency", _("急难救助先行救助")
    DECIDE_EMERGENCY = "decide_emergency", _("审批超出乡镇权限的急难救助")
    # The bank file carries whole account numbers.
    EXPORT_PAYMENTS = "export_payments", _("导出银行发放文件")


_ALL = frozenset(Capability.values)

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.VILLAGE_ASSISTANT: frozenset(
        {
            Capability.VIEW_HOUSEHOLDS,
            Capability.EDIT_HOUSEHOLDS,
            Capability.EXPORT_HOUSEHOLDS,
            Capability.ENTER_APPLICATIONS,
            Capability.VIEW_MONITORING,
            Capability.RECORD_HOME_CHECKS,
        }
    ),
    Role.TOWNSHIP_OFFICER: frozenset(
        {
            Capability.VIEW_HOUSEHOLDS,
            Capability.EDIT_HOUSEHOLDS,
            Capability.IMPORT_HOUSEHOLDS,
            Capability.EXPORT_HOUSEHOLDS,
            Capability.REVEAL_ID_NUMBER,
            Capability.SET_CATEGORY,
            Capability.ASSESS_HOUSEHOLDS,
            Capability.ENTER_APPLICATIONS,
            Capability.ACCEPT_APPLICATIONS,
            Capability.INVESTIGATE,
            # Used only where the county has delegated confirmation; the service checks that.
            Capability.CONFIRM_DETERMINATION,
            Capability.VIEW_CASES,
            Capability.VIEW_MONITORING,
            Capability.RECORD_HOME_CHECKS,
            Capability.VIEW_STATISTICS,
            Capability.VIEW_OVERSIGHT,
            Capability.HANDLE_OVERSIGHT,
            Capability.SEND_REFERRALS,
            Capability.VIEW_ALL_REFERRALS,
            Capability.GRANT_EMERGENCY,
        }
    ),
    Role.COUNTY_OFFICER: frozenset(
        {
            Capability.SECOND_FACTOR,
            Capability.VIEW_HOUSEHOLDS,
            Capability.EDIT_HOUSEHOLDS,
            Capability.IMPORT_HOUSEHOLDS,
            Capability.EXPORT_HOUSEHOLDS,
            Capability.REVEAL_ID_NUMBER,
            Capability.SET_CATEGORY,
            Capability.ASSESS_HOUSEHOLDS,
            Capability.EDIT_STANDARDS,
            Capability.VIEW_FEEDS,
            Capability.IMPORT_FEEDS,
            Capability.VERIFY_HOUSEHOLDS,
            Capability.CONFIRM_DETERMINATION,
            Capability.VIEW_CASES,
            Capability.CONFIGURE_TIME_LIMITS,
            Capability.FEEDS_ALL_DEPARTMENTS,
            Capability.DOWNLOAD_BATCH_ROWS,
            # Out-of-scope registrations are refused with a generic answer; the county settles them.
            Capability.RESOLVE_ID_CONFLICTS,
            Capability.VIEW_MONITORING,
            Capability.RUN_MONITORING_SCAN,
            Capability.EDIT_INDICATORS,
            Capability.RECORD_HOME_CHECKS,
            Capability.ASSIGN_HOME_CHECKS,
            Capability.VIEW_STATISTICS,
            Capability.VIEW_OVERSIGHT,
            Capability.HANDLE_OVERSIGHT,
            Capability.RECORD_RECOVERIES,
            Capability.CONFIGURE_OVERSIGHT,
            # The one export with real ID numbers (ADR 0015): the county's exchange officer.
            Capability.EXCHANGE_JINMIN,
            Capability.VIEW_JINMIN,
            Capability.SEND_REFERRALS,
            Capability.VIEW_ALL_REFERRALS,
            Capability.VIEW_PAYMENTS,
            Capability.EXPORT_PAYMENTS,
            Capability.GRANT_EMERGENCY,
            Capability.DECIDE_EMERGENCY,
            # The county civil-affairs office answers the referrals to civil affairs (care
            # services, emergency assistance, funeral fees…): its own department's only.
            Capability.HANDLE_REFERRALS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_HOUSEHOLDS,
            Capability.EXPORT_HOUSEHOLDS,
            Capability.ASSESS_HOUSEHOLDS,
            Capability.VIEW_FEEDS,
            Capability.VIEW_CASES,
            Capability.FEEDS_ALL_DEPARTMENTS,
            Capability.VIEW_MONITORING,
            Capability.VIEW_STATISTICS,
            Capability.VIEW_OVERSIGHT,
            Capability.VIEW_ALL_REFERRALS,
            Capability.VIEW_PAYMENTS,
            # Oversees the exchanges of its region; the export with real IDs stays the county's.
            Capability.VIEW_JINMIN,
        }
    ),
    # Department officers hand in their department's batches; they see no household beyond what
    # their own scope allows.
    Role.DEPARTMENT_OFFICER: frozenset(
        {
            Capability.VIEW_HOUSEHOLDS,
            Capability.VIEW_FEEDS,
            Capability.IMPORT_FEEDS,
            Capability.HANDLE_REFERRALS,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Capability.VIEW_HOUSEHOLDS,
            Capability.VIEW_AUDIT,
            Capability.VIEW_CASES,
            Capability.VIEW_OVERSIGHT,
            # Checks what left the platform for 金民工程 (records, masked difference samples).
            Capability.VIEW_JINMIN,
        }
    ),
    # Sees and records only the visits assigned to it (the monitoring selectors filter on that).
    Role.SOCIAL_ORGANISATION: frozenset({Capability.RECORD_CONTRACTED_VISITS}),
    Role.ADMINISTRATOR: _ALL,
}


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold ``capability``: for choosing accounts by what they may do (e.g. the
    social organisations a check can be assigned to) without naming a role."""
    return frozenset(
        str(role)
        for role, capabilities in ROLE_CAPABILITIES.items()
        if capability in capabilities and role != Role.ADMINISTRATOR
    )
