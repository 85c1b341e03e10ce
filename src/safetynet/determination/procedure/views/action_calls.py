"""The service call behind each action of the case page: one function per action taking the
``Act`` (who, which case at the version seen, the form) and returning the message shown after
it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.audit.services import client_of
from safetynet.determination import services
from safetynet.determination.models import (
    Application,
    AttachmentKind,
    Status,
    Transfer,
)
from safetynet.determination.procedure import forms as f
from safetynet.feeds import selectors as feeds_selectors
from safetynet.feeds.models import VerificationReport


@dataclass
class Act:
    """What a service call needs: who, on which case (at the version seen), with what."""

    request: AuthenticatedRequest
    application: Application
    form: forms.Form

    @property
    def user(self) -> Any:
        return self.request.user

    @property
    def data(self) -> dict[str, Any]:
        return self.form.cleaned_data


# --- the service calls ---------------------------------------------------------------------------


def _accept(act: Act) -> str:
    application = services.application_accept(
        actor=act.user,
        application=act.application,
        accepted_on=act.data["accepted_on"],
        client=client_of(act.request),
    )
    return f"已受理。调查应于 {application.step_due_on:%Y-%m-%d} 前启动。"


def _return(act: Act) -> str:
    services.application_return(
        actor=act.user,
        application=act.application,
        missing_items=act.data["missing_items"],
        client=client_of(act.request),
    )
    return "已退回补正，需补正材料已记录。"


def _resubmit(act: Act) -> str:
    services.application_resubmit(
        actor=act.user, application=act.application, client=client_of(act.request)
    )
    return "已重新提交，等待受理。"


def _withdraw(act: Act) -> str:
    services.application_withdraw(
        actor=act.user,
        application=act.application,
        reason=act.data["reason"],
        client=client_of(act.request),
    )
    return "申请已撤回。"


def _home_visit(act: Act) -> str:
    # The visit and its photos are one record: a photo the store refuses undoes the visit.
    with transaction.atomic():
        visit = services.home_visit_record(
            actor=act.user,
            application=act.application,
            visited_on=act.data["visited_on"],
            staff=act.data["staff"],
            findings=act.data["findings"],
            client=client_of(act.request),
        )
        for photo in act.data["photos"]:
            services.attachment_add(
                actor=act.user,
                application=act.application,
                kind=AttachmentKind.PHOTO,
                content=photo.read(),
                filename=photo.name,
                content_type=photo.content_type,
                home_visit=visit,
                client=client_of(act.request),
            )
    return f"入户调查已登记（照片 {len(act.data['photos'])} 张）。"


def _data_check_request(act: Act) -> str:
    check = services.data_check_request(
        actor=act.user,
        application=act.application,
        requested_on=act.data["requested_on"],
        client=client_of(act.request),
    )
    return f"已提请经济状况核对，应于 {check.due_on:%Y-%m-%d} 前反馈。"


def _pending_check(application: Application) -> Any:
    check = application.data_checks.filter(answered_on__isnull=True).order_by("due_on").first()
    if check is None:
        raise services.DeterminationError("没有待反馈的核对请求")
    check.application = application
    return check


def _household_reports(application: Application, user: User) -> list[VerificationReport]:
    reports = feeds_selectors.verification_report_list(user=user)
    return list(reports.filter(household_id=application.household_id)[:20])


def _data_check_answer(act: Act) -> str:
    form = act.form
    assert isinstance(form, f.DataCheckAnswerForm)
    report_pk = act.data["verification_report"]
    services.data_check_answer(
        actor=act.user,
        data_check=_pending_check(act.application),
        answer=act.data["answer"],
        verification_report=form.reports.get(report_pk) if report_pk else None,
        answered_on=act.data["answered_on"],
        client=client_of(act.request),
    )
    return "核对结果已反馈。"


def _township_review(act: Act) -> str:
    application = services.township_review(
        actor=act.user,
        application=act.application,
        opinion=act.data["opinion"],
        objection_outcome=act.data.get("objection_outcome", ""),
        reviewed_on=act.data["reviewed_on"],
        client=client_of(act.request),
    )
    if application.status == Status.CONFIRMING:
        return f"审核意见已记录，已报送审核确认（时限 {application.step_due_on:%Y-%m-%d}）。"
    return "审核意见已记录，请组织公示。"


def _publicity_start(act: Act) -> str:
    publicity = services.publicity_start(
        actor=act.user,
        application=act.application,
        starts_on=act.data["starts_on"],
        place=act.data["place"],
        client=client_of(act.request),
    )
    return f"公示已开始，至 {publicity.ends_on:%Y-%m-%d} 届满。"


def _objection(act: Act) -> str:
    objection = services.objection_record(
        actor=act.user,
        application=act.application,
        content=act.data["content"],
        received_on=act.data["received_on"],
        client=client_of(act.request),
    )
    return f"异议已登记，公示中止，应于 {objection.reinvestigation_due_on:%Y-%m-%d} 前完成复查。"


def _publicity_close(act: Act) -> str:
    application = services.publicity_close(
        actor=act.user,
        application=act.application,
        closed_on=act.data["closed_on"],
        client=client_of(act.request),
    )
    return f"公示期满无异议，已报送审核确认（时限 {application.step_due_on:%Y-%m-%d}）。"


def _spot_check(act: Act) -> str:
    services.spot_check_record(
        actor=act.user,
        application=act.application,
        result=act.data["result"],
        note=act.data["note"],
        checked_on=act.data["checked_on"],
        client=client_of(act.request),
    )
    return "抽查结果已登记。"


def _confirm(act: Act) -> str:
    decision = services.decision_confirm(
        actor=act.user,
        application=act.application,
        category=act.data["category"],
        care_tier=act.data.get("care_tier") or "",
        amount=act.data.get("amount"),
        reasons=act.data["reasons"],
        income_unstable=act.data.get("income_unstable", False),
        decided_on=act.data["decided_on"],
        client=client_of(act.request),
    )
    amount = f"，月救助金额 {decision.monthly_amount} 元" if decision.monthly_amount else ""
    start = f"，自 {decision.start_month:%Y 年 %m 月}起享受" if decision.start_month else ""
    return f"已予以认定{amount}{start}。"


def _refuse(act: Act) -> str:
    decision = services.decision_refuse(
        actor=act.user,
        application=act.application,
        reasons=act.data["reasons"],
        decided_on=act.data["decided_on"],
        client=client_of(act.request),
    )
    return (
        f"已作出不予认定决定，告知书应于 {decision.refusal_notice_due_on:%Y-%m-%d} 前送达。"
        "请评估是否转介低保边缘家庭或刚性支出困难家庭。"
    )


def _refusal_notice(act: Act) -> str:
    services.refusal_notice_issue(
        actor=act.user,
        application=act.application,
        issued_on=act.data["issued_on"],
        client=client_of(act.request),
    )
    return "不予认定告知书送达已登记，案件办结。"


def _extend(act: Act) -> str:
    application = services.procedure_extend(
        actor=act.user,
        application=act.application,
        reason=act.data["reason"],
        client=client_of(act.request),
    )
    return f"办理期限已延长至 {application.procedure_due_on:%Y-%m-%d}。"


def _transfer_offer(act: Act) -> str:
    transfer = services.transfer_offer(
        actor=act.user,
        application=act.application,
        informed_on=act.data["informed_on"],
        client=client_of(act.request),
    )
    return f"已告知申请人可转介为{transfer.get_proposed_type_display()}，请登记申请人意见。"


def _open_transfer(application: Application) -> Transfer:
    transfer = Transfer.objects.filter(application=application, consent__isnull=True).first()
    if transfer is None:
        raise services.DeterminationError("没有待登记意见的转介")
    transfer.application = application
    return transfer


def _transfer_consent(act: Act) -> str:
    transfer = services.transfer_consent(
        actor=act.user,
        transfer=_open_transfer(act.application),
        consent=act.data["consent"],
        answered_on=act.data["answered_on"],
        client=client_of(act.request),
    )
    if transfer.new_application is not None:
        return (
            f"申请人同意转介，已生成{transfer.new_application.get_type_display()}案件 "
            f"{transfer.new_application.number}，应于 "
            f"{transfer.new_application.step_due_on:%Y-%m-%d} 前完成认定。"
        )
    return "申请人不同意转介，已记录。"
