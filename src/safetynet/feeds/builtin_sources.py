"""The department sources the platform ships (data: each source's columns and the Chinese
headers departments put above them)."""

from __future__ import annotations

from safetynet.accounts.roles import Department
from safetynet.feeds.catalogue_types import (
    DISABILITY_CHOICES,
    ID_ALIASES,
    SCHOOL_CHOICES,
    ColumnKind,
    ColumnSpec,
    SourceSpec,
    _id,
    _name,
)

# --- built-in sources ----------------------------------------------------------------------------

BUILTIN_SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "medical_claims",
        "医保结算",
        Department.MEDICAL_SECURITY,
        "一次医保结算",
        (
            _id(),
            _name(aliases=("患者姓名", "就诊人姓名", "参保人")),
            ColumnSpec(
                "settle_date",
                "结算日期",
                ColumnKind.DATE,
                aliases=("结算时间", "费用结算日期", "出院结算日期", "结算日"),
            ),
            ColumnSpec(
                "visit_type",
                "就诊类型",
                ColumnKind.CHOICE,
                aliases=("医疗类别", "就医类型", "就诊类别", "结算类别"),
                choices={
                    "inpatient": ("住院", "住院治疗", "住院结算"),
                    "outpatient_chronic": (
                        "门诊慢特病",
                        "门诊慢性病",
                        "门诊特殊病",
                        "门诊慢特",
                        "门诊特慢病",
                        "慢特病门诊",
                        "门慢",
                        "门特",
                        "慢性病",
                        "特殊病",
                    ),
                    "outpatient": ("普通门诊", "门诊", "门急诊", "急诊", "普通门急诊"),
                },
            ),
            ColumnSpec(
                "total_cost",
                "医疗费用总额",
                ColumnKind.DECIMAL,
                aliases=("总费用", "医疗总费用", "费用总额", "医疗费总额", "总金额"),
            ),
            ColumnSpec(
                "insurance_paid",
                "医保报销金额",
                ColumnKind.DECIMAL,
                aliases=(
                    "统筹支付",
                    "基金支付",
                    "医保支付",
                    "报销金额",
                    "基金支付金额",
                    "统筹基金支付",
                ),
            ),
            ColumnSpec(
                "out_of_pocket",
                "个人自付金额",
                ColumnKind.DECIMAL,
                aliases=(
                    "个人负担",
                    "个人自付",
                    "个人支付",
                    "个人负担金额",
                    "自付金额",
                    "个人现金支付",
                ),
            ),
        ),
        keeps_name=True,
    ),
    SourceSpec(
        "deaths",
        "死亡/火化",
        Department.CIVIL_AFFAIRS,
        "一名死亡人员（殡葬火化或死亡医学证明）",
        (
            _id(aliases=(*ID_ALIASES, "死者身份证号", "逝者身份证号", "死亡人员身份证号")),
            _name(aliases=("死者姓名", "逝者姓名", "死亡人员姓名")),
            ColumnSpec(
                "death_date",
                "死亡日期",
                ColumnKind.DATE,
                aliases=("火化日期", "死亡时间", "火化时间", "死亡日", "注销日期"),
            ),
        ),
        keeps_name=True,
    ),
    SourceSpec(
        "disability_certificates",
        "残疾证",
        Department.DISABLED_FEDERATION,
        "一张残疾人证",
        (
            _id(),
            _name(aliases=("残疾人姓名", "持证人姓名")),
            ColumnSpec(
                "disability_type",
                "残疾类别",
                ColumnKind.CHOICE,
                aliases=("残疾类型", "残疾种类"),
                choices=DISABILITY_CHOICES,
            ),
            ColumnSpec(
                "grade",
                "残疾等级",
                ColumnKind.INTEGER,
                aliases=("残疾级别", "等级"),
                min_value=1,
                max_value=4,
            ),
            ColumnSpec(
                "issue_date",
                "发证日期",
                ColumnKind.DATE,
                aliases=("发证时间", "办证日期", "首次发证日期", "换证日期"),
            ),
            ColumnSpec(
                "status",
                "证件状态",
                ColumnKind.CHOICE,
                required=False,
                aliases=("持证状态", "状态", "残疾证状态"),
                choices={
                    "valid": ("有效", "正常", "在用", "持证"),
                    "revoked": ("注销", "已注销", "失效", "已失效", "收回", "已收回", "过期"),
                },
            ),
        ),
        keeps_name=True,
    ),
    SourceSpec(
        "unemployment",
        "失业登记",
        Department.HUMAN_RESOURCES,
        "一次失业登记",
        (
            _id(),
            _name(required=False),
            ColumnSpec(
                "registered_date",
                "登记日期",
                ColumnKind.DATE,
                aliases=("失业登记日期", "登记时间", "失业登记时间"),
            ),
            ColumnSpec(
                "status",
                "登记状态",
                ColumnKind.CHOICE,
                aliases=("失业状态", "状态"),
                choices={
                    "registered": ("登记失业", "失业", "在册", "有效", "已登记"),
                    "ended": ("已注销", "注销", "已就业", "终止", "已终止", "失效"),
                },
            ),
        ),
    ),
    SourceSpec(
        "vehicles",
        "机动车",
        "public_security",
        "一辆登记的机动车",
        (
            _id(aliases=(*ID_ALIASES, "车主身份证号", "所有人身份证号", "机动车所有人身份证号")),
            ColumnSpec(
                "plate",
                "号牌号码",
                ColumnKind.TEXT,
                aliases=("车牌号", "车牌号码", "号牌", "机动车号牌"),
            ),
            ColumnSpec(
                "vehicle_type",
                "车辆类型",
                ColumnKind.TEXT,
                aliases=("车辆种类", "车型", "机动车类型", "号牌种类"),
            ),
            ColumnSpec(
                "register_date",
                "初次登记日期",
                ColumnKind.DATE,
                aliases=("登记日期", "注册日期", "初登日期", "初次登记时间"),
            ),
            ColumnSpec(
                "value",
                "车辆价值",
                ColumnKind.DECIMAL,
                required=False,
                aliases=("购置价格", "价格", "车价", "评估价值", "发票价格"),
            ),
        ),
    ),
    SourceSpec(
        "businesses",
        "市场主体",
        "market_regulation",
        "一户市场主体的投资人或法定代表人",
        (
            _id(
                aliases=(
                    *ID_ALIASES,
                    "法定代表人身份证号",
                    "法人身份证号",
                    "投资人身份证号",
                    "经营者身份证号",
                )
            ),
            ColumnSpec(
                "company_name",
                "企业名称",
                ColumnKind.TEXT,
                aliases=("市场主体名称", "主体名称", "名称", "个体工商户名称", "字号名称"),
            ),
            ColumnSpec(
                "registered_capital",
                "注册资本",
                ColumnKind.DECIMAL,
                required=False,
                aliases=("注册资本(元)", "注册资金", "出资额", "认缴出资额", "资金数额"),
            ),
            ColumnSpec(
                "status",
                "登记状态",
                ColumnKind.CHOICE,
                aliases=("经营状态", "企业状态", "状态"),
                choices={
                    "active": ("存续", "在营", "开业", "正常", "在业", "存续(在营、开业、在册)"),
                    "closed": ("注销", "已注销", "吊销", "已吊销", "撤销", "停业", "歇业", "迁出"),
                },
            ),
            ColumnSpec(
                "established_date",
                "成立日期",
                ColumnKind.DATE,
                aliases=("注册日期", "成立时间", "登记日期", "开业日期"),
            ),
        ),
    ),
    SourceSpec(
        "real_estate",
        "不动产",
        "natural_resources",
        "一项不动产权利",
        (
            _id(
                aliases=(
                    *ID_ALIASES,
                    "权利人身份证号",
                    "权利人证件号",
                    "权利人证件号码",
                    "产权人身份证号",
                )
            ),
            ColumnSpec(
                "location",
                "坐落",
                ColumnKind.TEXT,
                aliases=("不动产坐落", "房屋坐落", "地址", "房屋地址", "坐落位置"),
            ),
            ColumnSpec(
                "area_m2",
                "建筑面积",
                ColumnKind.DECIMAL,
                aliases=("建筑面积(平方米)", "面积", "房屋面积", "建筑面积(㎡)", "建筑面积㎡"),
                unit="平方米",
            ),
            ColumnSpec(
                "use_type",
                "用途",
                ColumnKind.CHOICE,
                aliases=("房屋用途", "规划用途", "不动产用途"),
                choices={
                    "residential": ("住宅", "住房", "成套住宅", "居住", "城镇住宅用地/住宅"),
                    "commercial": (
                        "商业",
                        "商服",
                        "商业服务",
                        "商铺",
                        "办公",
                        "商业用房",
                        "写字楼",
                    ),
                    "other": ("其他", "车库", "车位", "工业", "仓储", "储藏室", "厂房"),
                },
            ),
            ColumnSpec(
                "register_date",
                "登记日期",
                ColumnKind.DATE,
                aliases=("登簿日期", "登簿时间", "登记时间", "发证日期"),
            ),
        ),
    ),
    SourceSpec(
        "disasters",
        "受灾",
        Department.EMERGENCY,
        "一户受灾家庭",
        (
            _id(aliases=(*ID_ALIASES, "户主身份证号", "受灾户身份证号")),
            ColumnSpec(
                "disaster_type",
                "灾害类型",
                ColumnKind.TEXT,
                aliases=("灾种", "灾害种类", "受灾类型"),
            ),
            ColumnSpec(
                "event_date",
                "受灾日期",
                ColumnKind.DATE,
                aliases=("灾害发生日期", "发生日期", "受灾时间", "灾害发生时间"),
            ),
            ColumnSpec(
                "loss_amount",
                "经济损失",
                ColumnKind.DECIMAL,
                aliases=("直接经济损失", "损失金额", "经济损失(元)", "直接经济损失(元)"),
            ),
            ColumnSpec(
                "house_damage",
                "房屋受损情况",
                ColumnKind.CHOICE,
                aliases=("房屋损坏情况", "房屋受损", "住房受损情况", "房屋损毁情况"),
                choices={
                    "none": ("未受损", "无", "否", "完好"),
                    "damaged": ("损坏", "一般损坏", "严重损坏", "受损", "部分损坏"),
                    "collapsed": ("倒塌", "倒房", "全部倒塌", "毁损"),
                },
            ),
        ),
    ),
    SourceSpec(
        "students",
        "学籍",
        Department.EDUCATION,
        "一名在校学生的学籍",
        (
            _id(aliases=(*ID_ALIASES, "学生身份证号", "学生身份证件号")),
            _name(aliases=("学生姓名",)),
            ColumnSpec(
                "school",
                "学校名称",
                ColumnKind.TEXT,
                aliases=("学校", "就读学校", "在读学校", "所在学校"),
            ),
            ColumnSpec(
                "stage",
                "学段",
                ColumnKind.CHOICE,
                aliases=("就读学段", "教育阶段", "在读学段", "学习阶段"),
                choices=SCHOOL_CHOICES,
            ),
            ColumnSpec(
                "enrolled_date",
                "入学日期",
                ColumnKind.DATE,
                aliases=("入学时间", "入学年月日", "注册日期"),
            ),
        ),
        keeps_name=True,
    ),
    SourceSpec(
        "relapse_watch",
        "防返贫监测对象",
        Department.RURAL_REVITALIZATION,
        "一名防止返贫监测对象",
        (
            _id(),
            _name(aliases=("监测对象姓名", "成员姓名")),
            _id(
                "household_head_id",
                "户主身份证号",
                ("户主身份证号码", "户主证件号码", "户主公民身份号码", "户主身份证"),
            ),
            ColumnSpec(
                "watch_type",
                "监测对象类别",
                ColumnKind.CHOICE,
                aliases=("监测类型", "监测对象类型", "类别"),
                choices={
                    "unstable": ("脱贫不稳定户", "脱贫不稳定", "不稳定户"),
                    "at_risk": ("边缘易致贫户", "边缘易致贫", "易致贫户", "边缘户"),
                    "sudden_hardship": ("突发严重困难户", "突发严重困难", "突发困难户"),
                },
            ),
            ColumnSpec(
                "status",
                "监测状态",
                ColumnKind.CHOICE,
                aliases=("风险状态", "状态", "是否消除风险"),
                choices={
                    "monitoring": ("监测中", "未消除", "风险未消除", "在监测"),
                    "removed": ("已消除", "风险已消除", "已退出", "退出", "消除"),
                },
            ),
            ColumnSpec(
                "region_code",
                "区划代码",
                ColumnKind.REGION_CODE,
                aliases=("行政区划代码", "村区划代码", "村(居)区划代码", "所属村区划代码"),
            ),
        ),
        keeps_name=True,
    ),
    SourceSpec(
        "payroll",
        "财政供养",
        Department.FINANCE,
        "一名财政供养人员",
        (
            _id(),
            _name(required=False),
            ColumnSpec(
                "employer",
                "工作单位",
                ColumnKind.TEXT,
                aliases=("单位名称", "所在单位", "供职单位", "单位"),
            ),
        ),
    ),
    SourceSpec(
        "pensions",
        "养老金/社保",
        Department.HUMAN_RESOURCES,
        "一人一个月的养老金发放",
        (
            _id(),
            ColumnSpec(
                "month",
                "发放月份",
                ColumnKind.MONTH,
                aliases=("月份", "发放年月", "所属期", "待遇月份", "年月", "所属年月"),
            ),
            ColumnSpec(
                "amount",
                "养老金金额",
                ColumnKind.DECIMAL,
                aliases=("发放金额", "养老金", "待遇金额", "月养老金", "金额", "实发金额"),
            ),
        ),
    ),
    SourceSpec(
        "provident_fund",
        "公积金",
        Department.HOUSING,
        "一人一个月的住房公积金缴存",
        (
            _id(),
            ColumnSpec(
                "month",
                "缴存月份",
                ColumnKind.MONTH,
                aliases=("月份", "缴存年月", "汇缴月份", "所属期", "年月"),
            ),
            ColumnSpec(
                "deposit",
                "缴存额",
                ColumnKind.DECIMAL,
                aliases=("月缴存额", "缴存金额", "月缴额", "汇缴金额", "缴存基数额"),
            ),
        ),
    ),
)
# Sources the monitoring scan reads beside the ones above (dynamic monitoring, 三(一)–(三)).
BUILTIN_SOURCES += (
    SourceSpec(
        "medical_assistance",
        "医疗救助",
        Department.MEDICAL_SECURITY,
        "一次医疗救助支付",
        (
            _id(),
            _name(required=False, aliases=("救助对象姓名", "患者姓名")),
            ColumnSpec(
                "paid_date",
                "救助日期",
                ColumnKind.DATE,
                aliases=("支付日期", "结算日期", "救助支付日期", "医疗救助日期"),
            ),
            ColumnSpec(
                "amount",
                "救助金额",
                ColumnKind.DECIMAL,
                aliases=("医疗救助金额", "救助支付金额", "医疗救助支付", "支付金额"),
            ),
        ),
    ),
    SourceSpec(
        "wages",
        "工资收入",
        Department.HUMAN_RESOURCES,
        "一人一个月的工资收入(社保缴费工资或代发工资)",
        (
            _id(),
            ColumnSpec(
                "month",
                "所属月份",
                ColumnKind.MONTH,
                aliases=("月份", "工资月份", "发放月份", "所属期", "年月", "缴费月份"),
            ),
            ColumnSpec(
                "amount",
                "工资金额",
                ColumnKind.DECIMAL,
                aliases=("应发工资", "实发工资", "工资", "缴费工资", "金额", "月工资"),
            ),
        ),
    ),
)
_BUILTIN = {spec.code: spec for spec in BUILTIN_SOURCES}
