"""The comparison: what departments hold against what the family declared."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from conftest import new_id_number
from safetynet.feeds.importing.selectors import BatchFileMissing
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.tests.verification_batches import store_batch
from safetynet.feeds.verification.compare import NO_DATA, verification_assemble
from safetynet.registry.inputs import AssetInput, IncomeInput, MemberInput
from safetynet.registry.models import Household, Membership


class Family:
    def __init__(self, household: Household, head: str, spouse: str) -> None:
        self.household = household
        self.head = head  # plain ID numbers, as departments send them
        self.spouse = spouse


@pytest.fixture
def family_of(make_household: Any, county_officer: Any) -> Any:
    def make(
        *,
        head_incomes: list[IncomeInput] | None = None,
        assets: list[AssetInput] | None = None,
        spouse_disability: tuple[str, int | None] = ("", None),
    ) -> Family:
        head, spouse = new_id_number("410105"), new_id_number("410105", male=False)
        household = make_household(
            county_officer,
            members=[
                MemberInput(
                    id_number=head,
                    name="张建国",
                    relation="02",
                    incomes=head_incomes if head_incomes is not None else [],
                ),
                MemberInput(
                    id_number=spouse,
                    name="李秀英",
                    relation="10",
                    disability_type=spouse_disability[0],
                    disability_grade=spouse_disability[1],
                ),
            ],
            # An asset's owner is given as "head" or "spouse" (their numbers are made here).
            assets=[
                replace(
                    a, owner_id_number={"head": head, "spouse": spouse}.get(a.owner_id_number, "")
                )
                for a in (assets or [])
            ],
        )
        return Family(household, head, spouse)

    return make


def _vehicle(id_number: str, plate: str = "豫A12345", value: str = "85000") -> dict[str, Any]:
    return {
        "id_number": id_number,
        "plate": plate,
        "vehicle_type": "小型轿车",
        "register_date": "2024-03-01",
        "value": value,
    }


def _texts(household: Household) -> list[str]:
    return [d.text for d in verification_assemble(household=household).differences]


def test_undeclared_vehicle_is_a_difference_naming_plate_and_value(family_of: Any) -> None:
    family = family_of()
    store_batch("vehicles", "2026-04", [_vehicle(family.head)])
    result = verification_assemble(household=family.household)
    [difference] = result.differences
    assert difference.source == "vehicles"
    assert difference.text == "公安交管部门登记张建国名下机动车1辆，家庭申报0辆，1辆未申报"
    assert "豫A12345（小型轿车，2024-03-01 初次登记，价值 85,000.00 元）" in difference.held


def test_vehicle_declared_for_its_owner_is_no_difference(family_of: Any) -> None:
    family = family_of(
        assets=[AssetInput(kind="vehicle", value=Decimal("80000"), owner_id_number="head")]
    )
    store_batch("vehicles", "2026-04", [_vehicle(family.head)])
    assert _texts(family.household) == []


def test_vehicle_declared_without_owner_covers_a_members_vehicle(family_of: Any) -> None:
    family = family_of(assets=[AssetInput(kind="vehicle", value=Decimal("80000"))])
    store_batch("vehicles", "2026-04", [_vehicle(family.spouse)])
    assert _texts(family.household) == []


def test_vehicle_declared_for_one_member_does_not_cover_another(family_of: Any) -> None:
    family = family_of(
        assets=[AssetInput(kind="vehicle", value=Decimal("80000"), owner_id_number="head")]
    )
    store_batch("vehicles", "2026-04", [_vehicle(family.spouse)])
    assert _texts(family.household) == [
        "家庭申报张建国名下机动车1辆，公安交管部门登记0辆",
        "公安交管部门登记李秀英名下机动车1辆，家庭申报0辆，1辆未申报",
    ]


def test_second_undeclared_vehicle_of_a_member_is_a_difference(family_of: Any) -> None:
    family = family_of(assets=[AssetInput(kind="vehicle", value=Decimal("80000"))])
    store_batch(
        "vehicles", "2026-04", [_vehicle(family.head), _vehicle(family.spouse, plate="豫A88888")]
    )
    assert _texts(family.household) == [
        "公安交管部门登记李秀英名下机动车1辆，家庭申报0辆，1辆未申报"
    ]


def test_declared_vehicle_the_department_does_not_hold_is_a_difference(family_of: Any) -> None:
    family = family_of(assets=[AssetInput(kind="vehicle", value=Decimal("30000"))])
    store_batch("vehicles", "2026-04", [_vehicle(new_id_number("410105"))])
    assert _texts(family.household) == ["家庭申报机动车1辆（未注明所有人），公安交管部门无对应登记"]


def test_rows_of_people_outside_the_household_are_ignored(family_of: Any) -> None:
    family = family_of()
    store_batch("vehicles", "2026-04", [_vehicle(new_id_number("410105"))])
    result = verification_assemble(household=family.household)
    assert (result.holdings, result.differences) == ([], [])


def test_active_business_not_declared_is_a_difference(family_of: Any) -> None:
    family = family_of()
    store_batch(
        "businesses",
        "2026-04",
        [
            {
                "id_number": family.spouse,
                "company_name": "金水区秀英便利店",
                "registered_capital": "50000",
                "status": "存续",
                "established_date": "2021-06-01",
            }
        ],
    )
    assert _texts(family.household) == [
        "市场监管部门登记李秀英名下存续市场主体1户，家庭申报0户，1户未申报"
    ]


def test_closed_business_is_listed_but_no_difference(family_of: Any) -> None:
    family = family_of()
    store_batch(
        "businesses",
        "2026-04",
        [
            {
                "id_number": family.spouse,
                "company_name": "金水区秀英便利店",
                "status": "注销",
                "established_date": "2021-06-01",
            }
        ],
    )
    result = verification_assemble(household=family.household)
    assert result.differences == []
    assert [h.text for h in result.holdings] == ["金水区秀英便利店（已注销，2021-06-01 成立）"]


def test_property_area_beyond_the_declared_area_is_a_difference(family_of: Any) -> None:
    family = family_of(
        assets=[AssetInput(kind="real_estate", value=Decimal("200000"), area_m2=Decimal("60"))]
    )
    store_batch(
        "real_estate",
        "2026-04",
        [
            {
                "id_number": family.head,
                "location": "郑州市金水区经八路1号",
                "area_m2": "118.50",
                "use_type": "住宅",
                "register_date": "2015-09-10",
            }
        ],
    )
    assert _texts(family.household) == [
        "不动产登记建筑面积合计 118.50 平方米，家庭申报 60.00 平方米"
    ]


def test_death_of_a_current_member_is_a_difference(family_of: Any) -> None:
    family = family_of()
    store_batch(
        "deaths",
        "2026-04",
        [{"id_number": family.spouse, "name": "李秀英", "death_date": "2026-03-02"}],
    )
    assert _texts(family.household) == [
        "李秀英有死亡/火化记录（死亡日期 2026-03-02），仍登记为共同生活家庭成员"
    ]


def test_death_of_a_member_who_left_is_not_checked(family_of: Any, county_officer: Any) -> None:
    family = family_of()
    Membership.objects.filter(household=family.household, relation="10").update(
        left_on=dt.date(2026, 3, 3), left_reason="死亡"
    )
    store_batch(
        "deaths",
        "2026-04",
        [{"id_number": family.spouse, "name": "李秀英", "death_date": "2026-03-02"}],
    )
    assert _texts(family.household) == []


def test_payroll_without_declared_wages_is_a_difference(family_of: Any) -> None:
    family = family_of()
    store_batch("payroll", "2026-04", [{"id_number": family.head, "employer": "金水区教育局"}])
    assert _texts(family.household) == [
        "张建国系财政供养人员（工作单位：金水区教育局），家庭未申报其工资性收入"
    ]


def test_payroll_with_declared_wages_is_listed_without_difference(family_of: Any) -> None:
    family = family_of(head_incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("4200"))])
    store_batch("payroll", "2026-04", [{"id_number": family.head, "employer": "金水区教育局"}])
    result = verification_assemble(household=family.household)
    assert result.differences == []
    assert [h.text for h in result.holdings] == ["财政供养人员，工作单位：金水区教育局"]


def test_pension_of_the_latest_month_above_declared_transfer_is_a_difference(
    family_of: Any,
) -> None:
    family = family_of(head_incomes=[IncomeInput(kind="transfer", monthly_amount=Decimal("150"))])
    store_batch(
        "pensions",
        "2026-04",
        [
            {"id_number": family.head, "month": "2026-03", "amount": "140"},
            {"id_number": family.head, "month": "2026-04", "amount": "1260.50"},
        ],
    )
    assert _texts(family.household) == [
        "张建国 2026-04 领取养老金 1,260.50 元，家庭申报其转移净收入 150.00 元/月"
    ]


def test_pension_covered_by_declared_transfer_income_is_no_difference(family_of: Any) -> None:
    family = family_of(head_incomes=[IncomeInput(kind="transfer", monthly_amount=Decimal("150"))])
    store_batch(
        "pensions", "2026-04", [{"id_number": family.head, "month": "2026-04", "amount": "150"}]
    )
    assert _texts(family.household) == []


def test_provident_fund_deposit_without_declared_wages_is_a_difference(family_of: Any) -> None:
    family = family_of()
    store_batch(
        "provident_fund",
        "2026-04",
        [{"id_number": family.spouse, "month": "2026-04", "deposit": "612"}],
    )
    assert _texts(family.household) == [
        "李秀英 2026-04 有住房公积金缴存 612.00 元（有单位就业），家庭未申报其工资性收入"
    ]


def test_registered_unemployment_with_declared_wages_is_a_difference(family_of: Any) -> None:
    family = family_of(head_incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("1800"))])
    store_batch(
        "unemployment",
        "2026-04",
        [{"id_number": family.head, "registered_date": "2026-01-15", "status": "登记失业"}],
    )
    assert _texts(family.household) == [
        "张建国在人社部门登记失业（在册），家庭申报其工资性收入 1,800.00 元/月"
    ]


def test_certificate_grade_other_than_declared_is_a_difference(family_of: Any) -> None:
    family = family_of(spouse_disability=("physical", 3))
    store_batch(
        "disability_certificates",
        "2026-04",
        [
            {
                "id_number": family.spouse,
                "name": "李秀英",
                "disability_type": "肢体",
                "grade": "1",
                "issue_date": "2020-05-01",
                "status": "有效",
            }
        ],
    )
    assert _texts(family.household) == [
        "残联登记李秀英持证肢体残疾一级（2020-05-01 发证），家庭申报为肢体残疾三级"
    ]


def test_certificate_matching_the_declaration_is_no_difference(family_of: Any) -> None:
    family = family_of(spouse_disability=("physical", 1))
    store_batch(
        "disability_certificates",
        "2026-04",
        [
            {
                "id_number": family.spouse,
                "name": "李秀英",
                "disability_type": "肢体残疾",
                "grade": "1",
                "issue_date": "2020-05-01",
                "status": "有效",
            }
        ],
    )
    assert _texts(family.household) == []


def test_declared_disability_without_certificate_is_a_difference(family_of: Any) -> None:
    family = family_of(spouse_disability=("visual", 2))
    store_batch(
        "disability_certificates",
        "2026-04",
        [
            {
                "id_number": new_id_number("410105"),
                "name": "王五",
                "disability_type": "视力",
                "grade": "2",
                "issue_date": "2020-05-01",
            }
        ],
    )
    assert _texts(family.household) == ["家庭申报李秀英为视力残疾二级，残联无其残疾人证记录"]


def test_latest_period_of_a_source_wins(family_of: Any) -> None:
    family = family_of()
    store_batch("vehicles", "2026-04", [_vehicle(new_id_number("410105"))])
    store_batch("vehicles", "2026-03", [_vehicle(family.head)])
    result = verification_assemble(household=family.household)
    assert result.differences == []
    assert result.sources_json()["vehicles"]["period"] == "2026-04"


def test_later_import_of_the_same_period_wins(family_of: Any) -> None:
    family = family_of()
    store_batch("vehicles", "2026-04", [_vehicle(new_id_number("410105"))])
    latest = store_batch("vehicles", "2026-04", [_vehicle(family.head)])
    result = verification_assemble(household=family.household)
    assert len(result.differences) == 1
    assert result.sources_json()["vehicles"]["batch"] == latest.pk


def test_sources_without_a_batch_are_marked_and_not_compared(family_of: Any) -> None:
    family = family_of(spouse_disability=("visual", 2))
    store_batch("payroll", "2026-04", [{"id_number": family.head, "employer": "金水区教育局"}])
    result = verification_assemble(household=family.household)
    assert [d.source for d in result.differences] == ["payroll"]
    assert [u.code for u in result.sources if u.batch is None] == [
        "vehicles",
        "real_estate",
        "businesses",
        "pensions",
        "provident_fund",
        "unemployment",
        "disability_certificates",
        "deaths",
    ]
    assert set(result.sources_json()) == {"payroll"}
    assert NO_DATA == "暂无该部门数据"


def test_stored_batch_whose_file_is_gone_is_an_error(family_of: Any) -> None:
    family = family_of()
    batch = store_batch("payroll", "2026-04", [{"id_number": family.head, "employer": "某单位"}])
    (Path(settings.FEEDS_DIR) / FeedBatch.objects.get(pk=batch.pk).parquet_path).unlink()
    with pytest.raises(BatchFileMissing, match="数据文件缺失"):
        verification_assemble(household=family.household)


def test_assembling_reads_a_fixed_number_of_queries(
    family_of: Any, django_assert_max_num_queries: Any
) -> None:
    family = family_of(assets=[AssetInput(kind="vehicle", value=Decimal("1"))])
    for source, row in [
        ("vehicles", _vehicle(family.head)),
        ("payroll", {"id_number": family.spouse, "employer": "某单位"}),
    ]:
        store_batch(source, "2026-04", [row])
    household = Household.objects.get(pk=family.household.pk)
    with django_assert_max_num_queries(4):
        verification_assemble(household=household)
