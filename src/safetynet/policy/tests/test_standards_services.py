"""Setting and withdrawing standards versions: who may, where, and which figures are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from conftest import make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.audit.models import Action, AuditRecord
from safetynet.policy.models import StandardVersion
from safetynet.policy.standards import services
from safetynet.policy.standards.selectors import standards_for
from safetynet.policy.tests.test_standards_selectors import (
    FULL,
    KAIFENG,
    LANKAO,
    PROVINCE,
    QIXIAN,
    province,
    version,
)
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 1)


@pytest.fixture(autouse=True)
def setting(db: Any) -> Iterator[None]:
    """Only a cited 2027 province version; today is 2027-06-01 in Beijing."""
    StandardVersion.objects.all().delete()
    province("2027-01-01")
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def lankao_officer(db: Any) -> User:
    return make_user("lankao", Role.COUNTY_OFFICER, Region.objects.get(code=LANKAO))


@pytest.fixture
def lankao_township_officer(db: Any) -> User:
    township = Region.objects.filter(code__startswith="410225", level=Level.TOWNSHIP).first()
    return make_user("lankao_town", Role.TOWNSHIP_OFFICER, township)


@pytest.fixture
def administrator(db: Any) -> User:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code=PROVINCE))


def create(actor: Any, code: str = LANKAO, **kwargs: Any) -> StandardVersion:
    kwargs.setdefault("effective_from", TODAY)
    kwargs.setdefault("figures", {"dibao_rural_monthly": "450"})
    kwargs.setdefault("source", "兰民〔2027〕1号")
    kwargs.setdefault("note", "")
    return services.standard_version_create(
        actor=actor, region=Region.objects.get(code=code), **kwargs
    )


def problems(excinfo: Any) -> dict[str, str]:
    return dict(excinfo.value.problems)


# --- who may set which standards ----------------------------------------------------------------


def test_county_officer_sets_the_own_county_standards(lankao_officer: User) -> None:
    created = create(lankao_officer)
    assert created.dibao_rural_monthly == Decimal("450.00")
    assert created.created_by == lankao_officer


def test_the_new_county_figure_is_in_force_from_its_date(lankao_officer: User) -> None:
    create(lankao_officer)
    standards = standards_for(region_code=LANKAO, on=TODAY, residence="rural")
    assert standards.dibao_monthly == Decimal("450.00")


def test_creating_a_version_is_audited(lankao_officer: User) -> None:
    created = create(lankao_officer)
    record = AuditRecord.objects.get(object_type="standard_version", action=Action.CREATE)
    assert (record.object_id, record.region_code, record.actor) == (
        str(created.pk),
        LANKAO,
        lankao_officer,
    )
    assert record.detail["figures"] == {"dibao_rural_monthly": "450.00"}


def test_township_officer_may_not_set_standards(lankao_township_officer: User) -> None:
    with pytest.raises(services.StandardsPermissionDenied, match="没有维护地方标准的权限"):
        create(lankao_township_officer)


def test_county_officer_may_not_set_another_county(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsPermissionDenied, match="不在您的管辖范围内"):
        create(lankao_officer, QIXIAN)


def test_county_officer_may_not_set_the_city(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsPermissionDenied):
        create(lankao_officer, KAIFENG)


def test_province_officer_other_than_administrator_may_not_set_the_province(db: Any) -> None:
    # A county officer's role scoped to the whole province still is not an administrator.
    officer = make_user("wide", Role.COUNTY_OFFICER, Region.objects.get(code=PROVINCE))
    with pytest.raises(services.StandardsPermissionDenied, match="系统管理员"):
        create(officer, PROVINCE, figures=FULL, effective_from=dt.date(2028, 1, 1))


def test_administrator_sets_the_province(administrator: User) -> None:
    created = create(administrator, PROVINCE, figures=FULL, effective_from=dt.date(2028, 1, 1))
    assert created.region_id == PROVINCE


def test_administrator_sets_a_city(administrator: User) -> None:
    created = create(administrator, KAIFENG, figures={"near_dibao_multiplier": "2"})
    assert created.near_dibao_multiplier == Decimal("2.000")


def test_no_one_sets_standards_for_a_township(administrator: User) -> None:
    township = Region.objects.filter(code__startswith="410225", level=Level.TOWNSHIP).first()
    assert township is not None
    with pytest.raises(services.StandardsPermissionDenied, match="省、市、县三级"):
        create(administrator, township.code)


def test_supervisor_may_not_set_standards(supervisor: User) -> None:
    with pytest.raises(services.StandardsPermissionDenied):
        create(supervisor)


# --- validations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-10"])
def test_dibao_standard_must_be_positive(lankao_officer: User, value: str) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_urban_monthly": value})
    assert "应大于 0" in problems(excinfo)["dibao_urban_monthly"]


def test_a_figure_that_is_not_a_number_is_refused_by_name(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"care_full_monthly": "一千"})
    assert (
        problems(excinfo)["care_full_monthly"] == "特困照料护理标准·全护理(元/月)：“一千”不是数字"
    )


def test_money_has_at_most_two_decimals(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_rural_monthly": "450.123"})
    assert "最多 2 位小数" in problems(excinfo)["dibao_rural_monthly"]


def test_near_dibao_multiplier_below_one_is_refused(administrator: User) -> None:
    figures = {**FULL, "near_dibao_multiplier": "0.9"}
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(administrator, PROVINCE, figures=figures, effective_from=dt.date(2028, 1, 1))
    assert "应不小于 1" in problems(excinfo)["near_dibao_multiplier"]


def test_unknown_expenditure_rule_is_refused(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"expenditure_rule": "whatever"})
    assert "expenditure_rule" in problems(excinfo)


def test_unknown_figure_is_refused(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_monthly": "450"})
    assert problems(excinfo)["dibao_monthly"] == "不认识的标准项：dibao_monthly"


def test_province_version_must_carry_every_figure(administrator: User) -> None:
    figures = {**FULL, "care_full_monthly": None, "max_dwellings": ""}
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(administrator, PROVINCE, figures=figures, effective_from=dt.date(2028, 1, 1))
    message = problems(excinfo)["figures"]
    assert "全护理" in message and "住房套数上限" in message


def test_county_version_must_set_at_least_one_figure(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_rural_monthly": ""})
    assert "至少填写一项" in problems(excinfo)["figures"]


def test_county_dibao_below_the_province_is_refused(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_rural_monthly": "399.99"})
    message = problems(excinfo)["dibao_rural_monthly"]
    assert "低于上级（河南省 2027-01-01 版本）" in message and "400.00" in message


def test_county_dibao_equal_to_the_province_is_accepted(lankao_officer: User) -> None:
    assert create(lankao_officer, figures={"dibao_rural_monthly": "400"}).pk


def test_county_dibao_below_the_city_is_refused(lankao_officer: User) -> None:
    version(KAIFENG, "2027-01-01", dibao_rural_monthly=Decimal("420.00"))
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_rural_monthly": "410"})
    assert "开封市" in problems(excinfo)["dibao_rural_monthly"]


def test_county_near_dibao_multiplier_below_the_province_is_refused(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"near_dibao_multiplier": "1.2"})
    assert "near_dibao_multiplier" in problems(excinfo)


def test_the_floor_is_the_one_in_force_on_the_new_effective_date(
    lankao_officer: User, administrator: User
) -> None:
    create(administrator, PROVINCE, figures={**FULL, "dibao_rural_monthly": "500"},
           effective_from=dt.date(2028, 1, 1))  # fmt: skip
    with pytest.raises(services.StandardsValidationError):
        create(lankao_officer, figures={"dibao_rural_monthly": "450"},
               effective_from=dt.date(2028, 2, 1))  # fmt: skip


def test_county_officer_may_not_backdate(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, effective_from=dt.date(2027, 5, 31))
    assert "只有系统管理员" in problems(excinfo)["effective_from"]


def test_administrator_may_backdate(administrator: User) -> None:
    assert create(administrator, effective_from=dt.date(2027, 2, 1)).pk


def test_one_version_per_region_and_date(lankao_officer: User) -> None:
    create(lankao_officer)
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, figures={"dibao_rural_monthly": "460"})
    assert "已有一个标准版本" in problems(excinfo)["effective_from"]


def test_a_version_without_source_must_be_marked_example(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(lankao_officer, source=" ")
    assert "示例数值" in problems(excinfo)["source"]


def test_an_example_version_needs_no_source(lankao_officer: User) -> None:
    created = create(lankao_officer, source="", is_example=True)
    assert created.is_example


def test_all_problems_are_reported_together(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError) as excinfo:
        create(
            lankao_officer,
            figures={"dibao_urban_monthly": "-1", "care_self_monthly": "x"},
            source="",
        )
    assert set(problems(excinfo)) == {"dibao_urban_monthly", "care_self_monthly", "source"}


def test_a_refused_version_writes_nothing(lankao_officer: User) -> None:
    with pytest.raises(services.StandardsValidationError):
        create(lankao_officer, figures={"dibao_rural_monthly": "1"})
    assert not StandardVersion.objects.filter(region_id=LANKAO).exists()
    assert not AuditRecord.objects.filter(object_type="standard_version").exists()


# --- withdrawing a version ------------------------------------------------------------------------


def test_a_version_not_yet_in_force_may_be_deleted(lankao_officer: User) -> None:
    planned = create(lankao_officer, effective_from=dt.date(2027, 7, 1))
    services.standard_version_delete(actor=lankao_officer, version=planned)
    assert not StandardVersion.objects.filter(pk=planned.pk).exists()
    record = AuditRecord.objects.get(object_type="standard_version", action=Action.DELETE)
    assert record.detail["effective_from"] == "2027-07-01"


def test_a_version_in_force_may_not_be_deleted(lankao_officer: User) -> None:
    current = create(lankao_officer)
    with pytest.raises(services.StandardsError, match="已生效"):
        services.standard_version_delete(actor=lankao_officer, version=current)
    assert StandardVersion.objects.filter(pk=current.pk).exists()


def test_another_county_officer_may_not_delete(lankao_officer: User, db: Any) -> None:
    planned = create(lankao_officer, effective_from=dt.date(2027, 7, 1))
    qixian = make_user("qixian", Role.COUNTY_OFFICER, Region.objects.get(code=QIXIAN))
    with pytest.raises(services.StandardsPermissionDenied):
        services.standard_version_delete(actor=qixian, version=planned)
    assert StandardVersion.objects.filter(pk=planned.pk).exists()
