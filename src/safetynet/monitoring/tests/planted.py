"""A synthetic county (金水区) with one planted case per indicator and near misses beside
them, and the department batches that carry them, imported through the real feeds path."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import first_below, new_id_number
from safetynet.feeds.services import batch_import
from safetynet.regions.models import Level
from safetynet.registry import services as registry
from safetynet.registry.identity import blind_index
from safetynet.registry.inputs import HouseholdInput, MemberInput

ON = dt.date(2026, 11, 16)
PERIOD = "2026-10"
HEADERS = {
    "medical_claims": [
        "身份证号",
        "姓名",
        "结算日期",
        "就诊类型",
        "医疗费用总额",
        "医保报销金额",
        "个人自付金额",
    ],
    "medical_assistance": ["身份证号", "救助日期", "救助金额"],
    "deaths": ["身份证号", "姓名", "死亡日期"],
    "disability_certificates": ["身份证号", "姓名", "残疾类别", "残疾等级", "发证日期", "证件状态"],
    "unemployment": ["身份证号", "登记日期", "登记状态"],
    "disasters": ["身份证号", "灾害类型", "受灾日期", "经济损失", "房屋受损情况"],
    "students": ["身份证号", "姓名", "学校名称", "学段", "入学日期"],
    "relapse_watch": ["身份证号", "姓名", "户主身份证号", "监测对象类别", "监测状态", "区划代码"],
    "pensions": ["身份证号", "发放月份", "养老金金额"],
    "wages": ["身份证号", "所属月份", "工资金额"],
    "vehicles": ["身份证号", "号牌号码", "车辆类型", "初次登记日期", "车辆价值"],
    "businesses": ["身份证号", "企业名称", "注册资本", "登记状态", "成立日期"],
    "real_estate": ["身份证号", "坐落", "建筑面积", "用途", "登记日期"],
    "payroll": ["身份证号", "姓名", "工作单位"],
}


@dataclass
class County:
    officer: Any  # the county officer who imports and scans
    village: Any
    ids: dict[str, str] = field(default_factory=dict)  # label → ID number
    households: dict[str, Any] = field(default_factory=dict)  # label → Household
    expected: set[tuple[str, str]] = field(default_factory=set)  # (indicator, label)
    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    tmp: Path = Path(".")

    def hash(self, label: str) -> str:
        return blind_index(self.ids[label])

    def expected_hashes(self) -> set[tuple[str, str]]:
        return {(code, self.hash(label)) for code, label in self.expected}

    def write(
        self, source: str, rows: list[list[str]], *, period: str = PERIOD, name: str = ""
    ) -> Any:
        path = self.tmp / f"{name or source}-{period}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS[source])
            writer.writerows(rows)
        outcome = batch_import(
            source=source, path=path, period=period, actor=self.officer, channel="cli"
        )
        assert outcome.batch is not None and outcome.rejected == 0, (source, outcome)
        return outcome.batch


def _household(
    county: County,
    label: str,
    *,
    born: dt.date | None = None,
    category: str = "",
    relapse: str = "",
    extra: int = 0,
    grade: int | None = None,
) -> Any:
    number = new_id_number("410105", born=born)
    members = [
        MemberInput(
            id_number=number,
            name=f"测{label}",
            relation="02",
            disability_type="physical" if grade else "",
            disability_grade=grade,
        )
    ]
    for i in range(extra):
        other = new_id_number("410105", male=False)
        county.ids[f"{label}_m{i}"] = other
        members.append(MemberInput(id_number=other, name=f"测{label}妻", relation="10"))
    result = registry.households_create(
        actor=county.officer,
        households=[HouseholdInput(region_code=county.village.code, members=members)],
    )
    household = result.households[0]
    county.ids[label] = number
    county.households[label] = household
    if category:
        registry.category_set(
            actor=county.officer,
            household=household,
            category=category,
            effective_from=dt.date(2025, 1, 1),
            reason="测试认定",
        )
    if relapse:
        registry.relapse_watch_set(
            actor=county.officer,
            household=household,
            watch_type=relapse,
            effective_from=dt.date(2025, 1, 1),
            reason="测试",
        )
    household.refresh_from_db()
    return household


def plant(officer: Any, tmp: Path) -> County:
    """Households, planted cases and batches; ``county.expected`` lists what must fire."""
    village = first_below(officer.scope_region.code, Level.VILLAGE)
    county = County(officer=officer, village=village, tmp=tmp)
    e = county.expected
    h = lambda label, **kw: _household(county, label, **kw)  # noqa: E731
    # medical_burden: 12-month out-of-pocket over 10,000; an assisted person's one stay over 6,000
    for label in ("med", "med_miss"):
        h(label)
    h("med_assisted", category="dibao")
    h("med_assisted_miss", category="dibao")
    e |= {
        ("medical_burden", "med"),
        ("medical_burden", "med_assisted"),
        ("medical_aid_missing", "med_assisted"),
    }
    # deaths: a member (fires member_death); an assisted member (both death indicators)
    h("dead")
    h("dead_assisted", category="dibao")
    e |= {
        ("member_death", "dead"),
        ("member_death", "dead_assisted"),
        ("deceased_still_assisted", "dead_assisted"),
    }
    # disability: grade 2 new (fires), grade 3 physical (miss), grade 2 already recorded (miss)
    h("disab")
    h("disab_miss")
    h("disab_known", grade=2)
    e.add(("new_disability", "disab"))
    # unemployment: working age (fires), 65 (miss)
    h("unemp", born=dt.date(1990, 5, 1))
    h("unemp_old", born=dt.date(1961, 1, 1))
    e.add(("unemployed", "unemp"))
    # disaster: collapsed house (fires); no damage and small loss (miss)
    h("flood")
    h("flood_miss")
    e.add(("disaster", "flood"))
    # schooling: university (fires); junior school (miss)
    h("student")
    h("student_miss")
    e.add(("schooling", "student"))
    # income: pensions fall by half (fires), by a tenth (miss); an assisted household earns
    # far above the dibao standard (fires), one earns little (miss)
    h("drop")
    h("drop_miss")
    h("rich", category="dibao")
    h("rich_miss", category="dibao")
    e |= {("income_drop", "drop"), ("high_income", "rich")}
    # assets of assisted households: vehicle over 50,000, active business, two homes, payroll
    h("car", category="dibao")
    h("car_cheap", category="dibao")
    h("car_not_assisted")
    h("firm", category="dibao")
    h("firm_closed", category="dibao")
    h("homes", category="dibao", extra=1)
    h("home_one", category="dibao")
    h("payroll", category="dibao")
    h("payroll_not_assisted", relapse="at_risk")
    e |= {
        ("vehicle", "car"),
        ("business", "firm"),
        ("real_estate", "homes"),
        ("payroll", "payroll"),
    }
    # relapse list: someone not registered (fires); a registered person (miss); removed (miss)
    county.ids["relapse_new"] = new_id_number("410105")
    county.ids["relapse_removed"] = new_id_number("410105")
    e.add(("relapse_new", "relapse_new"))
    write_batches(county)
    return county


def write_batches(county: County, *, med_amount: str = "4500.00") -> None:
    i = county.ids
    county.write(
        "medical_claims",
        [
            [i["med"], "测", "2026-03-02", "住院", "20000", "14000", "6000.00"],
            [i["med"], "测", "2026-09-12", "普通门诊", "5000", "500", med_amount],
            [i["med_miss"], "测", "2026-04-02", "普通门诊", "12000", "2001", "9999.00"],
            [i["med"], "测", "2025-10-01", "普通门诊", "9000", "0", "9000.00"],  # outside 12 months
            [i["med_assisted"], "测", "2026-08-08", "住院", "9000", "2500", "6500.00"],
            [i["med_assisted_miss"], "测", "2026-08-08", "住院", "9000", "3100", "5900.00"],
        ],
    )
    county.write("medical_assistance", [[i["med_assisted_miss"], "2026-08-20", "1200"]])
    county.write(
        "deaths",
        [
            [i["dead"], "测", "2026-09-30"],
            [i["dead_assisted"], "测", "2026-10-03"],
            [new_id_number("410105"), "外人", "2026-10-01"],
        ],
    )
    county.write(
        "disability_certificates",
        [
            [i["disab"], "测", "肢体", "2", "2026-06-01", "有效"],
            [i["disab_miss"], "测", "肢体", "3", "2026-06-01", "有效"],
            [i["disab_known"], "测", "肢体", "2", "2026-06-01", "有效"],
        ],
    )
    county.write(
        "unemployment",
        [[i["unemp"], "2026-07-01", "登记失业"], [i["unemp_old"], "2026-07-01", "登记失业"]],
    )
    county.write(
        "disasters",
        [
            [i["flood"], "洪涝", "2026-07-20", "3000", "倒塌"],
            [i["flood_miss"], "洪涝", "2026-07-20", "1000", "未受损"],
        ],
    )
    county.write(
        "students",
        [
            [i["student"], "测", "郑州大学", "本科", "2026-09-01"],
            [i["student_miss"], "测", "八中", "初中", "2026-09-01"],
        ],
    )
    for month in ("2026-07", "2026-08", "2026-09"):
        county.write(
            "pensions", [[i["drop"], month, "2000"], [i["drop_miss"], month, "2000"]], period=month
        )
    county.write(
        "pensions",
        [[i["drop"], "2026-10", "1000"], [i["drop_miss"], "2026-10", "1800"]],
        period="2026-10",
    )
    county.write(
        "wages",
        [[i["rich"], "2026-10", "90000"], [i["rich_miss"], "2026-10", "100"]],
        period="2026-10",
    )
    county.write(
        "vehicles",
        [
            [i["car"], "豫A1", "轿车", "2026-05-05", "80000"],
            [i["car_cheap"], "豫A2", "轿车", "2026-05-05", "30000"],
            [i["car_not_assisted"], "豫A3", "轿车", "2026-05-05", "90000"],
        ],
    )
    county.write(
        "businesses",
        [
            [i["firm"], "测试商行", "10000", "存续", "2026-02-01"],
            [i["firm_closed"], "旧商行", "10000", "注销", "2020-02-01"],
        ],
    )
    county.write(
        "real_estate",
        [
            [i["homes"], "金水路1号", "90", "住宅", "2019-01-01"],
            [i["homes_m0"], "金水路2号", "80", "住宅", "2026-04-01"],
            [i["home_one"], "金水路3号", "80", "住宅", "2026-04-01"],
        ],
    )
    county.write(
        "payroll", [[i["payroll"], "测", "某局"], [i["payroll_not_assisted"], "测", "某局"]]
    )
    county.write(
        "relapse_watch",
        [
            [
                i["relapse_new"],
                "新监测",
                i["relapse_new"],
                "边缘易致贫户",
                "监测中",
                county.village.code,
            ],
            [i["dead"], "测", i["dead"], "边缘易致贫户", "监测中", county.village.code],
            [
                i["relapse_removed"],
                "已消",
                i["relapse_removed"],
                "边缘易致贫户",
                "已消除",
                county.village.code,
            ],
        ],
    )


def money(value: str) -> Decimal:
    return Decimal(value)
