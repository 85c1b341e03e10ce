from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from conftest import new_id_number
from safetynet.accounts.models import Office
from safetynet.accounts.permissions import PermissionDenied
from safetynet.audit.models import Action, AuditRecord
from safetynet.determination.deadlines import first_of_next_month
from safetynet.determination.documents import notices
from safetynet.determination.documents.notices import NoticeKind, NoticeUnavailable
from safetynet.determination.models import ApplicationType
from safetynet.determination.tests.notice_cases import (
    REFUSAL_REASONS,
    accepted_case,
    at,
    decided_case,
    investigated_case,
    one_off,
)
from safetynet.documents import POLICY_TITLE, REPLACEMENT
from safetynet.documents.tests.pdf_text import pdf_flat_text, pdf_text
from safetynet.regions.models import Level, Region
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.inputs import IncomeInput, MemberInput

pytestmark = pytest.mark.django_db
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def household(make_household: Any, jinshui_officer: Any) -> Any:
    return make_household(jinshui_officer, head_name="张建国", wages=Decimal("500.00"))


@pytest.fixture
def refused(jinshui_officer: Any, county_officer: Any, household: Any) -> Any:
    return decided_case(
        officer=jinshui_officer, county=county_officer, household=household, refuse=True
    )


@pytest.fixture
def confirmed(jinshui_officer: Any, county_officer: Any, household: Any) -> Any:
    return decided_case(officer=jinshui_officer, county=county_officer, household=household)


def _text(user: Any, application: Any, kind: str) -> str:
    return squash(pdf_flat_text(notices.notice_pdf(user=user, application=application, kind=kind)))


def squash(text: str) -> str:
    """Without spaces: a line wrapped at a space loses it in the extracted text."""
    return text.replace(" ", "")


def _county_name(application: Any) -> str:
    return Region.objects.get(code=application.region_id[:6] + "000000").name


def test_refusal_notice_states_the_reasons(jinshui_officer: Any, refused: Any) -> None:
    text = _text(jinshui_officer, refused, NoticeKind.REFUSAL)
    assert "不予认定通知书" in text
    assert squash(REFUSAL_REASONS) in text


def test_refusal_notice_states_reconsideration_and_litigation_rights(
    jinshui_officer: Any, refused: Any
) -> None:
    text = _text(jinshui_officer, refused, NoticeKind.REFUSAL)
    county = _county_name(refused)
    assert squash(f"60 日内向郑州市{county}人民政府申请行政复议") in text
    assert squash("6 个月内依法向人民法院提起行政诉讼") in text


def test_refusal_notice_is_issued_by_the_county_bureau_on_the_decision_date(
    jinshui_officer: Any, refused: Any
) -> None:
    text = _text(jinshui_officer, refused, NoticeKind.REFUSAL)
    assert f"郑州市{_county_name(refused)}民政局（盖章）" in text
    assert squash("2026 年 4 月 20 日") in text
    assert f"编号：BY{refused.region_id[:6]}-2026-{refused.pk:06d}" in text


def test_decision_notice_states_category_amount_and_start_month(
    jinshui_officer: Any, confirmed: Any
) -> None:
    decision = confirmed.decision
    text = _text(jinshui_officer, confirmed, NoticeKind.DECISION)
    assert "认定决定通知书" in text
    assert "决定认定为低保" in text
    assert squash(f"每月发放 {decision.monthly_amount:,.2f} 元") in text
    assert squash("自 2026 年 5 月起") in text
    assert decision.start_month == dt.date(2026, 5, 1)


def test_decision_notice_lists_covered_members_with_masked_ids_only(
    jinshui_officer: Any, confirmed: Any
) -> None:
    text = _text(jinshui_officer, confirmed, NoticeKind.DECISION)
    applicant = confirmed.applicant
    assert applicant.id_number_masked in text
    assert "李四" in text
    assert decrypt_id_number(applicant.id_number_encrypted) not in text
    assert FULL_ID.search(text) is None


def test_decision_notice_states_how_the_amount_was_computed_in_printable_characters(
    jinshui_officer: Any, confirmed: Any
) -> None:
    basis = confirmed.decision.amount_basis
    text = _text(jinshui_officer, confirmed, NoticeKind.DECISION)
    assert squash(f"家庭月人均收入 {basis['income_per_head']} 元") in text
    assert "向上取整到元" in text
    assert REPLACEMENT not in text


def test_temporary_assistance_decision_states_a_one_off_sum(
    jinshui_officer: Any, county_officer: Any, household: Any
) -> None:
    application = decided_case(
        officer=jinshui_officer,
        county=county_officer,
        household=household,
        type=ApplicationType.TEMPORARY_ASSISTANCE,
        decide=one_off("1500"),
    )
    text = _text(jinshui_officer, application, NoticeKind.DECISION)
    assert squash("一次性发放救助金 1,500.00 元") in text
    assert "每月" not in text


def test_receipt_lists_the_authorisation_with_its_sha256(
    jinshui_officer: Any, household: Any
) -> None:
    application = accepted_case(officer=jinshui_officer, household=household)
    attachment = application.attachments.get()
    text = _text(jinshui_officer, application, NoticeKind.RECEIPT)
    assert "社会救助申请受理回执" in text
    assert "核对授权书.pdf" in text
    assert attachment.sha256 in text
    assert squash("2026 年 4 月 1 日予以受理") in text


def test_receipt_states_the_investigation_start_due_after_the_qingming_holiday(
    jinshui_officer: Any, confirmed: Any
) -> None:
    # Accepted Wednesday 1 April 2026; 4–6 April is the Qingming holiday: 2, 3, 7 April.
    alone = _text(jinshui_officer, confirmed, NoticeKind.RECEIPT)
    batch = squash(
        pdf_flat_text(
            notices.notices_pdf(
                user=jinshui_officer, applications=[confirmed], kind=NoticeKind.RECEIPT
            )
        )
    )
    assert squash("调查开始期限2026 年 4 月 7 日") in alone
    assert squash("调查开始期限2026 年 4 月 7 日") in batch


def test_receipt_names_the_township_office_as_issuer(
    jinshui_officer: Any, household: Any, jinshui_township: Region
) -> None:
    application = accepted_case(officer=jinshui_officer, household=household)
    text = _text(jinshui_officer, application, NoticeKind.RECEIPT)
    suffix = "办事处" if jinshui_township.name.endswith("街道") else "人民政府"
    assert f"{jinshui_township.name}{suffix}（盖章）" in text


def test_notice_the_case_does_not_have_is_refused(jinshui_officer: Any, confirmed: Any) -> None:
    with pytest.raises(NoticeUnavailable, match="没有不予认定通知书"):
        notices.notice_pdf(user=jinshui_officer, application=confirmed, kind=NoticeKind.REFUSAL)


def test_unknown_kind_is_refused(jinshui_officer: Any, confirmed: Any) -> None:
    with pytest.raises(NoticeUnavailable, match="文书类型"):
        notices.notice_pdf(user=jinshui_officer, application=confirmed, kind="letter")


def test_case_outside_scope_is_not_found(zhongyuan_officer: Any, confirmed: Any) -> None:
    with pytest.raises(Http404):
        notices.notice_pdf(user=zhongyuan_officer, application=confirmed, kind=NoticeKind.DECISION)


def test_user_without_case_capability_is_refused(village_assistant: Any, confirmed: Any) -> None:
    with pytest.raises(PermissionDenied):
        notices.notice_pdf(user=village_assistant, application=confirmed, kind=NoticeKind.DECISION)


def test_generating_a_notice_is_audited(jinshui_officer: Any, confirmed: Any) -> None:
    notices.notice_pdf(user=jinshui_officer, application=confirmed, kind=NoticeKind.DECISION)
    record = AuditRecord.objects.filter(action=Action.EXPORT).latest("id")
    assert record.actor == jinshui_officer
    assert record.object_id == str(confirmed.pk)
    assert record.detail == {"kind": "decision", "applications": [confirmed.pk]}
    assert confirmed.number in record.summary


def test_available_kinds_follow_the_procedure(
    jinshui_officer: Any, confirmed: Any, refused: Any
) -> None:
    cases = {a.pk: a for a in notices.notice_queryset().filter(pk__in=[confirmed.pk, refused.pk])}
    assert notices.available_kinds(cases[confirmed.pk]) == ["receipt", "decision"]
    assert notices.available_kinds(cases[refused.pk]) == ["receipt", "refusal"]


# --- many in one file ----------------------------------------------------------------------


def test_batch_puts_each_case_notice_in_one_file_with_its_own_pages(
    jinshui_officer: Any, county_officer: Any, make_household: Any
) -> None:
    cases = [
        accepted_case(
            officer=jinshui_officer, household=make_household(jinshui_officer, head_name=name)
        )
        for name in ("王德福", "李秀英", "张梓涵")
    ]
    pdf = notices.notices_pdf(user=jinshui_officer, applications=cases, kind=NoticeKind.RECEIPT)
    text = pdf_text(pdf)
    assert text.count("第 1 页 / 共 1 页") == 3
    assert [line for line in text.splitlines() if line.startswith("编号：SL")] == [
        f"编号：SL{c.region_id[:6]}-2026-{c.pk:06d}" for c in cases
    ]
    for name in ("王德福", "李秀英", "张梓涵"):
        assert f"{name}：" in text


def test_batch_is_one_audit_record_listing_every_case(
    jinshui_officer: Any, make_household: Any
) -> None:
    cases = [
        accepted_case(officer=jinshui_officer, household=make_household(jinshui_officer))
        for _ in range(2)
    ]
    before = AuditRecord.objects.count()
    notices.notices_pdf(user=jinshui_officer, applications=cases, kind=NoticeKind.RECEIPT)
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert record.detail["applications"] == [c.pk for c in cases]
    assert record.summary == "批量生成受理回执 2 份"


def test_batch_with_a_case_lacking_the_notice_names_it_and_renders_nothing(
    jinshui_officer: Any, confirmed: Any, refused: Any
) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(NoticeUnavailable, match=refused.number):
        notices.notices_pdf(
            user=jinshui_officer, applications=[confirmed, refused], kind=NoticeKind.DECISION
        )
    assert AuditRecord.objects.count() == before


def test_batch_with_a_case_outside_scope_is_refused(zhongyuan_officer: Any, confirmed: Any) -> None:
    with pytest.raises(NoticeUnavailable, match="不在您的管辖范围内"):
        notices.notices_pdf(
            user=zhongyuan_officer, applications=[confirmed.pk], kind=NoticeKind.DECISION
        )


def test_batch_reads_the_cases_in_a_fixed_number_of_queries(
    jinshui_officer: Any,
    county_officer: Any,
    make_household: Any,
    django_assert_max_num_queries: Any,
) -> None:
    cases = [
        decided_case(
            officer=jinshui_officer,
            county=county_officer,
            household=make_household(jinshui_officer),
        )
        for _ in range(3)
    ]
    # 13: the cases' reads, plus the audit record's own (chain head, pending reads, insert,
    # head update) — fixed, whatever the number of cases.
    with django_assert_max_num_queries(13):
        notices.notices_pdf(user=jinshui_officer, applications=cases, kind=NoticeKind.DECISION)


# --- review outcome ------------------------------------------------------------------------


def test_review_outcome_notice_states_the_outcome_and_rights(
    jinshui_officer: Any, confirmed: Any
) -> None:
    from safetynet.determination import services

    review = confirmed.reviews.order_by("due_on").first()
    assert review is not None
    with at(review.due_on):
        services.review_record(
            actor=jinshui_officer, review=review, outcome="continue", notes="家庭情况无变化。"
        )
    text = pdf_flat_text(notices.review_notice_pdf(user=jinshui_officer, review=review))
    assert "复核结果通知书" in text
    assert "继续享受" in text
    assert "家庭情况无变化。" in text
    assert "申请行政复议" in text


def _record_review(officer: Any, application: Any, outcome: str, **extra: Any) -> Any:
    from safetynet.determination import services

    review = application.reviews.order_by("due_on").first()
    assert review is not None
    with at(review.due_on):
        services.review_record(
            actor=officer, review=review, outcome=outcome, notes="复核情况说明。", **extra
        )
    return review


def test_terminating_review_states_when_assistance_stops(
    jinshui_officer: Any, confirmed: Any
) -> None:
    review = _record_review(jinshui_officer, confirmed, "terminate")
    text = squash(pdf_flat_text(notices.review_notice_pdf(user=jinshui_officer, review=review)))
    assert "复核结果终止" in text
    assert "停止救助时间" in text
    assert "继续享受" not in text


def test_changing_review_states_the_new_category_from_next_month(
    jinshui_officer: Any, confirmed: Any
) -> None:
    review = _record_review(jinshui_officer, confirmed, "change", new_category="near_dibao")
    text = squash(pdf_flat_text(notices.review_notice_pdf(user=jinshui_officer, review=review)))
    assert "救助类别低保边缘" in text
    next_month = review.done_on.replace(day=28) + dt.timedelta(days=4)
    assert squash(f"执行时间{next_month.year} 年 {next_month.month} 月") in text


def test_case_review_notice_is_the_latest_completed_review(
    jinshui_officer: Any, confirmed: Any
) -> None:
    _record_review(jinshui_officer, confirmed, "continue")
    text = _text(jinshui_officer, confirmed, NoticeKind.REVIEW)
    assert "复核结果通知书" in text
    assert "继续享受" in text


def test_review_notice_outside_scope_is_refused(
    jinshui_officer: Any, zhongyuan_officer: Any, confirmed: Any
) -> None:
    review = _record_review(jinshui_officer, confirmed, "continue")
    with pytest.raises(NoticeUnavailable, match="不在您的管辖范围内"):
        notices.review_notice_pdf(user=zhongyuan_officer, review=review)


def test_notices_name_the_policy_by_its_real_title(jinshui_officer: Any, refused: Any) -> None:
    text = _text(jinshui_officer, refused, NoticeKind.REFUSAL)
    assert squash(f"依据{POLICY_TITLE}") in text


# --- publicity list ------------------------------------------------------------------------


def _publicity_text(user: Any, application: Any) -> str:
    township = application.region_id[:9] + "000"
    return squash(
        pdf_flat_text(
            notices.publicity_list_pdf(
                user=user,
                township_code=township,
                starts_from=dt.date(2026, 4, 1),
                starts_to=dt.date(2026, 4, 30),
            )
        )
    )


def test_publicity_list_shows_masked_ids_village_category_and_period(
    jinshui_officer: Any, county_officer: Any, household: Any
) -> None:
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    text = _publicity_text(jinshui_officer, application)
    applicant = application.applicant
    assert "张建国" in text
    assert applicant.id_number_masked in text
    assert decrypt_id_number(applicant.id_number_encrypted) not in text
    assert FULL_ID.search(text) is None
    assert application.region.name in text
    assert "最低生活保障" in text
    assert squash("公示期：2026 年 4 月 7 日 至 2026 年 4 月 13 日") in text


def test_publicity_list_never_shows_a_minors_name_or_id(
    make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    # A 16-year-old heads the household (the parents died): the list says 未成年人 and keeps
    # only the region digits of the masked ID.
    county = jinshui_officer.scope_region.code[:6]
    number = new_id_number(county, born=dt.date(2010, 5, 1))
    household = make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=number,
                name="王小花",
                relation="02",
                incomes=[IncomeInput(kind="transfer", monthly_amount=Decimal("100.00"))],
            )
        ],
    )
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    assert application.applicant.name == "王小花"
    text = _publicity_text(jinshui_officer, application)
    assert "王小花" not in text
    assert "未成年人" in text
    masked = application.applicant.id_number_masked
    assert masked not in text
    assert masked[-4:] not in text
    assert masked[:3] + "*" * 15 in text
    assert FULL_ID.search(text) is None


def test_public_identity_hides_a_person_until_the_eighteenth_birthday() -> None:
    born = dt.date(2008, 4, 10)
    masked = "410***********1234"
    on_eve = notices.public_identity("李明", masked, born, dt.date(2026, 4, 9))
    assert on_eve == ("未成年人", "410***************")
    assert notices.public_identity("李明", masked, born, dt.date(2026, 4, 10)) == ("李明", masked)


def test_publicity_list_shows_the_proposed_dibao_amount(
    jinshui_officer: Any, county_officer: Any, household: Any
) -> None:
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    text = _publicity_text(jinshui_officer, application)
    # Before the decision the list prints what the decision computes from the same figures.
    with at(dt.date(2026, 4, 20)):
        from safetynet.determination import services

        decision = services.decision_confirm(actor=county_officer, application=application)
    assert f"{decision.monthly_amount:,.2f}" in text


def test_publicity_list_names_where_to_object(
    jinshui_officer: Any, county_officer: Any, household: Any, settings: Any
) -> None:
    settings.DETERMINATION_OBJECTION_PHONE = "0371-65550000"
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    text = _publicity_text(jinshui_officer, application)
    assert "社会救助窗口" in text
    assert "联系电话：0371-65550000" in text


def test_publicity_list_phone_falls_back_to_the_civil_affairs_office(
    jinshui_officer: Any, county_officer: Any, household: Any, settings: Any
) -> None:
    """Without DETERMINATION_OBJECTION_PHONE the list prints the county civil-affairs office's
    telephone (系统设置—部门单位); with none registered, a clear 示例 text says where it goes."""
    settings.DETERMINATION_OBJECTION_PHONE = ""
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    unset = _publicity_text(jinshui_officer, application)
    assert squash("联系电话：未登记（示例") in unset
    Office.objects.create(
        region_id=county_officer.scope_region_id,
        department="civil_affairs",
        name="金水区民政局",
        phone="0371-65551234",
    )
    assert "联系电话：0371-65551234" in _publicity_text(jinshui_officer, application)


def test_publicity_list_prints_the_configured_objection_address(
    jinshui_officer: Any, county_officer: Any, household: Any, settings: Any
) -> None:
    settings.DETERMINATION_OBJECTION_ADDRESS = "金水区民政局社会救助科（经三路 15 号）"
    application = investigated_case(
        officer=jinshui_officer, county=county_officer, household=household
    )
    text = _publicity_text(jinshui_officer, application)
    assert squash("受理地点：金水区民政局社会救助科（经三路 15 号）") in text


def test_publicity_list_of_a_township_outside_scope_is_refused(
    zhongyuan_officer: Any, jinshui_township: Region
) -> None:
    with pytest.raises(NoticeUnavailable, match="不在您的管辖范围内"):
        notices.publicity_list_pdf(
            user=zhongyuan_officer,
            township_code=jinshui_township.code,
            starts_from=dt.date(2026, 4, 1),
            starts_to=dt.date(2026, 4, 30),
        )


def test_empty_publicity_list_says_so(jinshui_officer: Any, jinshui_township: Region) -> None:
    text = pdf_flat_text(
        notices.publicity_list_pdf(
            user=jinshui_officer,
            township_code=jinshui_township.code,
            starts_from=dt.date(2026, 4, 1),
            starts_to=dt.date(2026, 4, 30),
        )
    )
    assert "本期无公示对象" in text


# --- the font covers every name the notices print ---------------------------------------------


def test_no_notice_prints_a_replacement_character(
    jinshui_officer: Any, confirmed: Any, refused: Any, caplog: Any
) -> None:
    texts = [
        _text(jinshui_officer, confirmed, NoticeKind.RECEIPT),
        _text(jinshui_officer, confirmed, NoticeKind.DECISION),
        _text(jinshui_officer, refused, NoticeKind.REFUSAL),
        _publicity_text(jinshui_officer, confirmed),
    ]
    assert [REPLACEMENT in text for text in texts] == [False] * 4
    assert "PDF font lacks" not in caplog.text


def test_every_region_name_of_the_province_prints_without_replacement() -> None:
    from safetynet.documents import font_covers

    names = Region.objects.filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).values_list(
        "name", flat=True
    )
    assert [name for name in names if not font_covers(name)] == []


def test_review_changing_the_amount_states_the_new_amount_and_category(
    jinshui_officer: Any, confirmed: Any
) -> None:
    review = _record_review(
        jinshui_officer,
        confirmed,
        "change",
        new_category="near_dibao",
        monthly_amount=Decimal("420.50"),
    )
    text = squash(pdf_flat_text(notices.review_notice_pdf(user=jinshui_officer, review=review)))
    assert "救助类别低保边缘" in text
    assert "月保障金额420.50元" in text
    old = confirmed.decision.monthly_amount
    assert squash(f"月保障金额{old:,.2f}元") not in text


def test_review_changing_only_the_amount_keeps_the_category(
    jinshui_officer: Any, confirmed: Any
) -> None:
    review = _record_review(jinshui_officer, confirmed, "change", monthly_amount=Decimal("1200"))
    review.refresh_from_db()
    assert (review.new_category, review.monthly_amount) == ("", Decimal("1200.00"))
    assert review.changes_from == first_of_next_month(review.done_on)
    text = squash(pdf_flat_text(notices.review_notice_pdf(user=jinshui_officer, review=review)))
    assert "救助类别低保" in text
    assert "月保障金额1,200.00元" in text
