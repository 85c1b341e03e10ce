"""A department's feedback file (GBK CSV, XLSX) matched to referrals and households; unmatched
rows reported with their reason; the same file imported again writes nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import new_id_number
from safetynet.assistance.models import AssistanceRecord, Referral, ReferralStatus
from safetynet.assistance.referrals import services
from safetynet.assistance.referrals.imports import feedback_import
from safetynet.registry.identity import decrypt_id_number
from safetynet.spreadsheets import Workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(jinshui_officer: Any, household: Any) -> Referral:
    proposed = services.referrals_propose_by_hand(
        actor=jinshui_officer, household=household, circumstances=["serious_illness"]
    )
    services.referrals_send(actor=jinshui_officer, referrals=proposed)
    return Referral.objects.get(household=household, item="medical_assistance")


def rows(household: Any) -> list[list[str]]:
    head = decrypt_id_number(household.head.id_number_encrypted)
    member = household.memberships.exclude(person=household.head).get().person
    today = timezone.localdate().isoformat()
    return [
        ["身份证号码", "姓名", "帮扶项目", "帮扶内容", "金额(元)", "发放日期"],
        [head, "王帮扶", "医疗救助", "住院救助", "1,200.00", today],
        [
            decrypt_id_number(member.id_number_encrypted),
            "李四",
            "医疗救助",
            "门诊慢病救助",
            "300",
            today,
        ],
        [new_id_number("410105"), "不在库", "医疗救助", "住院救助", "100", today],
        ["41010519900101123", "号码错", "医疗救助", "住院救助", "100", today],
        [head, "王帮扶", "危房改造", "补助", "100", today],
    ]


def test_a_gbk_file_matches_reports_unmatched_and_imports_once(
    tmp_path: Path, household: Any, sent: Referral, department: Any
) -> None:
    medical = department("medical_security")
    path = tmp_path / "医保反馈.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(rows(household))

    first = feedback_import(actor=medical, path=path)
    again = feedback_import(actor=medical, path=path)

    assert (first.answered, first.reported, first.unchanged) == (1, 1, 0), first.unmatched
    assert [line for line, _ in first.unmatched] == [4, 5, 6]
    reasons = dict(first.unmatched)
    assert "未找到" in reasons[4] and "身份证号无效" in reasons[5] and "目录" in reasons[6]
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.GIVEN and sent.record.kind == "住院救助"
    assert str(sent.record.amount) == "1200.00"
    assert (again.answered, again.reported, again.unchanged) == (0, 0, 2)
    assert AssistanceRecord.objects.filter(household=household).count() == 2


def test_an_xlsx_file_through_the_page(
    client: Client, tmp_path: Path, household: Any, sent: Referral, department: Any
) -> None:
    client.force_login(department("medical_security"))
    workbook = Workbook()
    sheet = workbook.active
    for row in rows(household)[:2]:
        sheet.append(row)
    path = tmp_path / "反馈.xlsx"
    workbook.save(path)

    with path.open("rb") as handle:
        page = client.post(reverse("assistance:import"), {"file": handle}).content.decode()

    assert "反馈转办 <strong>1</strong> 条" in page
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.GIVEN
