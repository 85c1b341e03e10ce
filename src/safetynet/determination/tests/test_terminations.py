"""Who decides a termination (the confirming level: the county, or the township where the county
delegated confirmation; ADR 0010) and the termination notice (终止救助通知书)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.determination import services
from safetynet.determination.documents import archive
from safetynet.determination.documents import termination as notice
from safetynet.determination.models import (
    ApplicationType,
    DecisionLevel,
    IssuedNotice,
    Termination,
    TerminationStatus,
)
from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import Household

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def near_dibao(clock: Any, make_household: Any, jinshui_officer: Any) -> Household:
    clock.on(D(2026, 3, 2))
    household = make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=new_id_number("410105", born=D(1950, 5, 5)),
                name="王秀英",
                relation="02",
                labour_capacity="none",
            )
        ],
    )
    services.direct_inclusion(
        actor=jinshui_officer,
        household=household,
        type=ApplicationType.NEAR_DIBAO,
        identified_on=D(2026, 3, 1),
        source="原低保边缘名册",
    )
    clock.on(D(2026, 9, 10))
    household.refresh_from_db()
    return household


def _delegate(county_officer: Any) -> None:
    """The county delegates confirmation to its townships (豫政办〔2022〕103号 二(二))."""
    services.time_limits_create(
        actor=county_officer,
        region=county_officer.scope_region,
        effective_from=D(2026, 9, 10),
        values={"confirmation_delegated": True},
        source="县民政局委托乡镇审核确认的文件",
    )


def _start(officer: Any, household: Household) -> Termination:
    return services.termination_start(
        actor=officer, household=household, reason="家庭成员就业，人均收入超过低保边缘标准"
    )


def _notice_text(user: Any, termination: Termination) -> str:
    return pdf_flat_text(notice.termination_notice_pdf(user=user, termination=termination))


# --- who decides --------------------------------------------------------------------------------


def test_near_dibao_termination_by_a_township_waits_for_the_county(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    assert (termination.status, termination.effective_from, termination.delegated) == (
        TerminationStatus.CONFIRMING,
        None,
        False,
    )
    # The township may not decide it alone: the county did not delegate confirmation.
    with pytest.raises(services.PermissionDenied, match="须由县级民政部门确认"):
        services.termination_confirm(actor=jinshui_officer, termination=termination)
    near_dibao.refresh_from_db()
    assert near_dibao.category == "near_dibao"
    services.termination_confirm(actor=county_officer, termination=termination, note="同意")
    termination.refresh_from_db()
    assert (
        termination.status,
        termination.decision_level,
        termination.decided_by,
        termination.decided_on,
        termination.effective_from,
    ) == (
        TerminationStatus.SCHEDULED,
        DecisionLevel.COUNTY,
        county_officer,
        D(2026, 9, 10),
        D(2026, 10, 1),
    )


def test_near_dibao_termination_is_the_townships_where_the_county_delegated(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    _delegate(county_officer)
    termination = _start(jinshui_officer, near_dibao)
    assert (
        termination.status,
        termination.delegated,
        termination.decision_level,
        termination.decided_by,
        termination.effective_from,
    ) == (
        TerminationStatus.SCHEDULED,
        True,
        DecisionLevel.TOWNSHIP,
        jinshui_officer,
        D(2026, 10, 1),
    )


def test_county_declines_with_reasons_and_assistance_continues(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    with pytest.raises(services.DeterminationError, match="理由"):
        services.termination_decline(actor=county_officer, termination=termination, note=" ")
    services.termination_decline(
        actor=county_officer, termination=termination, note="就业不稳定，收入尚未持续超过标准"
    )
    assert termination.status == TerminationStatus.DECLINED
    near_dibao.refresh_from_db()
    assert near_dibao.category == "near_dibao"
    # Declined is closed: a later termination may start again.
    assert _start(jinshui_officer, near_dibao).status == TerminationStatus.CONFIRMING


def test_a_county_officer_outside_the_county_cannot_confirm(
    near_dibao: Household, jinshui_officer: Any, zhongyuan_officer: Any
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    with pytest.raises(services.PermissionDenied):
        services.termination_confirm(actor=zhongyuan_officer, termination=termination)


# --- the notice -----------------------------------------------------------------------------------


def test_notice_states_reasons_month_basis_and_rights_and_is_kept_as_issued(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    with pytest.raises(notice.TerminationNoticeUnavailable, match="尚未作出决定"):
        notice.termination_notice_pdf(user=jinshui_officer, termination=termination)
    services.termination_confirm(actor=county_officer, termination=termination)
    text = pdf_flat_text(
        notice.termination_notice_pdf(user=jinshui_officer, termination=termination)
    )
    for phrase in (
        "终止救助通知书",
        "王秀英",
        "家庭成员就业，人均收入超过低保边缘标准",
        "2026 年 10 月起",
        "低保边缘",
        "金水区民政局",
        "第十三条",
        "60 日内",
        "行政复议",
        "6 个月内",
        "行政诉讼",
        "第六十五条",
        "行政复议法》第二十条",
    ):
        assert phrase in text, phrase
    stored = IssuedNotice.objects.get(key=f"terminate:{termination.pk}")
    assert stored.number.startswith("ZZ410105-2026-")
    # A later change does not rewrite the notice as issued.
    Termination.objects.filter(pk=termination.pk).update(reason="改写后的原因")
    again = pdf_flat_text(
        notice.termination_notice_pdf(user=county_officer, termination=termination)
    )
    assert "家庭成员就业" in again and "改写后的原因" not in again
    assert IssuedNotice.objects.filter(key=f"terminate:{termination.pk}").count() == 1
    record = AuditRecord.objects.filter(object_type="determination_termination").latest("id")
    assert (record.action, record.object_id) == (Action.EXPORT, str(termination.pk))


def test_a_delegated_notice_comes_from_the_township(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    _delegate(county_officer)
    termination = _start(jinshui_officer, near_dibao)
    text = pdf_flat_text(
        notice.termination_notice_pdf(user=jinshui_officer, termination=termination)
    )
    assert "办事处（盖章）" in text or "人民政府（盖章）" in text
    assert "乡镇(街道)(受委托)" in text


def test_the_case_archive_holds_the_termination_notice(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    services.termination_confirm(actor=county_officer, termination=termination)
    assert termination.application is not None
    payload = archive.case_archive(user=jinshui_officer, application=termination.application)
    with zipfile.ZipFile(io.BytesIO(payload)) as zipped:
        names = zipped.namelist()
    assert any(name.endswith("终止救助通知书.pdf") for name in names)
    assert archive.archive_verify(payload) == []


# --- the page -------------------------------------------------------------------------------------


def test_page_lets_the_county_confirm_and_then_download_the_notice(
    near_dibao: Household, jinshui_officer: Any, county_officer: Any, client: Client
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    page = reverse("determination:termination", args=[termination.pk])
    client.force_login(jinshui_officer)
    body = client.get(page).content.decode()
    assert "报县级民政部门确认" in body and "确认终止" not in body
    download = reverse("determination:termination_notice", args=[termination.pk])
    assert client.get(download).status_code == 404
    client.force_login(county_officer)
    assert "确认终止" in client.get(page).content.decode()
    response = client.post(
        reverse("determination:termination_confirm", args=[termination.pk]), {"note": "同意"}
    )
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "下载终止救助通知书" in body and "县级民政部门" in body
    response = client.get(download)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_page_is_not_found_outside_the_scope(
    near_dibao: Household, jinshui_officer: Any, zhongyuan_officer: Any, client: Client
) -> None:
    termination = _start(jinshui_officer, near_dibao)
    client.force_login(zhongyuan_officer)
    assert (
        client.get(reverse("determination:termination", args=[termination.pk])).status_code == 404
    )
