"""One small form per procedure action, each calling one service.

``ACTIONS`` maps the URL slug of an action to its button label, its form and the service call.
Which buttons a case page shows is exactly what ``selectors.actions_for`` offers (the API's
``actions`` for the same case); the service stays the authority and refuses with a message
whatever slips through.

Every form carries the version of the case the officer saw. If the case moved on in between,
the officer is told so (the service's "case changed" message) instead of a confusing refusal
about the new step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.audit.services import client_of
from safetynet.determination import selectors, services
from safetynet.determination.common import require_any, show_refusal, today
from safetynet.determination.models import (
    Application,
    AttachmentKind,
    CareTier,
    Status,
    Transfer,
)
from safetynet.determination.procedure import forms as f
from safetynet.determination.procedure.decisions import TYPE_CATEGORIES
from safetynet.determination.procedure.views import preview
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


@dataclass(frozen=True)
class ActionSpec:
    slug: str
    service: str  # the service's name, as selectors.actions_for lists it
    label: str
    form: type[f.ActionForm]
    run: Callable[[Act], str]  # calls the service; returns the message shown after it
    style: str = ""  # "primary" for the step's main action, "danger" for ending the case
    help: str = ""
    date_fields: tuple[str, ...] = ()
    form_kwargs: Callable[[Application, Any], dict[str, Any]] = field(default=lambda _a, _u: {})
    extra: Callable[[Application], dict[str, Any]] = field(default=lambda _: {})


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


# --- what each form needs besides the version ---------------------------------------------------


def _review_kwargs(application: Application, user: User) -> dict[str, Any]:
    return {"open_objections": application.objections.filter(resolved_on__isnull=True).exists()}


def _answer_kwargs(application: Application, user: User) -> dict[str, Any]:
    return {"reports": _household_reports(application, user)}


def _answer_extra(application: Application) -> dict[str, Any]:
    return {"pending_check": application.data_checks.filter(answered_on__isnull=True).first()}


def _confirm_kwargs(application: Application, user: User) -> dict[str, Any]:
    return {
        "categories": TYPE_CATEGORIES[application.type],
        "application_type": application.type,
    }


def _confirm_extra(application: Application) -> dict[str, Any]:
    on = today()
    return {
        "classification": preview.classification_preview(application, on),
        "amounts": preview.amount_previews(
            application, categories=TYPE_CATEGORIES[application.type], on=on
        ),
    }


def _transfer_extra(application: Application) -> dict[str, Any]:
    return {"classification": preview.classification_preview(application, today())}


def _consent_extra(application: Application) -> dict[str, Any]:
    return {"transfer": Transfer.objects.filter(application=application).first()}


ACTIONS: dict[str, ActionSpec] = {
    spec.slug: spec
    for spec in (
        ActionSpec(
            "accept",
            "application_accept",
            "受理",
            f.AcceptForm,
            _accept,
            style="primary",
            help="受理前须已上传申请人及家庭成员签字的核对授权书。受理后 3 个工作日内启动调查。",
            date_fields=("accepted_on",),
        ),
        ActionSpec(
            "return",
            "application_return",
            "退回补正",
            f.ReturnForm,
            _return,
            help="材料不齐全的，一次性告知申请人需补正的全部材料。",
        ),
        ActionSpec(
            "resubmit", "application_resubmit", "补正后重新提交", f.ConfirmOnlyForm, _resubmit
        ),
        ActionSpec(
            "home-visit",
            "home_visit_record",
            "登记入户调查",
            f.HomeVisitForm,
            _home_visit,
            style="primary",
            help="入户调查须由不少于 2 名工作人员进行，记录调查情况并上传现场照片。",
            date_fields=("visited_on",),
        ),
        ActionSpec(
            "data-check",
            "data_check_request",
            "提请经济状况核对",
            f.DataCheckRequestForm,
            _data_check_request,
            help="县级核对机构应于 3 个工作日内反馈核对结果。",
            date_fields=("requested_on",),
        ),
        ActionSpec(
            "data-check-answer",
            "data_check_answer",
            "反馈核对结果",
            f.DataCheckAnswerForm,
            _data_check_answer,
            style="primary",
            date_fields=("answered_on",),
            form_kwargs=_answer_kwargs,
            extra=_answer_extra,
        ),
        ActionSpec(
            "review",
            "township_review",
            "乡镇审核意见",
            f.TownshipReviewForm,
            _township_review,
            style="primary",
            help="入户调查和经济状况核对完成后提出审核意见；低保、特困须经公示后报送审核确认。",
            date_fields=("reviewed_on",),
            form_kwargs=_review_kwargs,
        ),
        ActionSpec(
            "publicity",
            "publicity_start",
            "开始公示",
            f.PublicityStartForm,
            _publicity_start,
            style="primary",
            help="在申请家庭所在村(居)公示 7 天，公示信息中的身份证号脱敏。",
            date_fields=("starts_on",),
        ),
        ActionSpec(
            "objection",
            "objection_record",
            "登记公示异议",
            f.ObjectionForm,
            _objection,
            help="登记异议后公示中止，重新调查核实。",
            date_fields=("received_on",),
        ),
        ActionSpec(
            "publicity-close",
            "publicity_close",
            "公示期满无异议",
            f.PublicityCloseForm,
            _publicity_close,
            style="primary",
            date_fields=("closed_on",),
        ),
        ActionSpec(
            "spot-check",
            "spot_check_record",
            "登记抽查结果",
            f.SpotCheckForm,
            _spot_check,
            style="primary",
            date_fields=("checked_on",),
        ),
        ActionSpec(
            "confirm",
            "decision_confirm",
            "予以认定",
            f.ConfirmForm,
            _confirm,
            style="primary",
            help="确认后自次月起享受救助，救助类别登记到家庭档案，并安排复核。",
            date_fields=("decided_on",),
            form_kwargs=_confirm_kwargs,
            extra=_confirm_extra,
        ),
        ActionSpec(
            "refuse",
            "decision_refuse",
            "不予认定",
            f.RefuseForm,
            _refuse,
            style="danger",
            help="不予认定的，应于 3 个工作日内书面告知申请人理由，"
            "以及申请行政复议、提起行政诉讼的权利。",
            date_fields=("decided_on",),
        ),
        ActionSpec(
            "refusal-notice",
            "refusal_notice_issue",
            "登记告知书送达",
            f.RefusalNoticeForm,
            _refusal_notice,
            style="primary",
            date_fields=("issued_on",),
        ),
        ActionSpec(
            "extend",
            "procedure_extend",
            "延长办理期限",
            f.ExtendForm,
            _extend,
            help="情况复杂的，办理期限可延长一次，全流程不超过 45 个工作日。",
        ),
        ActionSpec(
            "transfer",
            "transfer_offer",
            "告知转介",
            f.TransferOfferForm,
            _transfer_offer,
            help="申请人不符合所申请类型、但符合低保边缘家庭或刚性支出困难家庭条件的，"
            "告知其可转为相应类型认定（二(二)3）。",
            date_fields=("informed_on",),
            extra=_transfer_extra,
        ),
        ActionSpec(
            "transfer-consent",
            "transfer_consent",
            "登记转介意见",
            f.TransferConsentForm,
            _transfer_consent,
            style="primary",
            help="申请人同意的，转为相应类型认定，3 个工作日内完成。",
            date_fields=("answered_on",),
            extra=_consent_extra,
        ),
        ActionSpec(
            "withdraw",
            "application_withdraw",
            "撤回申请",
            f.WithdrawForm,
            _withdraw,
            style="danger",
        ),
    )
}
BY_SERVICE = {spec.service: spec for spec in ACTIONS.values()}


def case_actions(*, user: User, application: Application) -> list[ActionSpec]:
    """The action buttons of a case page: exactly the actions ``selectors.actions_for`` offers
    (the API's ``actions`` for the same case), each with its form."""
    return action_specs(selectors.actions_for(user=user, application=application))


def action_specs(names: list[str]) -> list[ActionSpec]:
    """The forms of the offered actions that have one (an attachment is added on the page)."""
    return [BY_SERVICE[name] for name in names if name in BY_SERVICE]


def _capable(request: AuthenticatedRequest, spec: ActionSpec) -> None:
    capabilities = selectors.ACTION_CAPABILITIES.get(
        spec.service, selectors.ACTION_CAPABILITIES["transfer_offer"]
    )
    require_any(request.user, *capabilities)


def _initial(spec: ActionSpec, application: Application) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": application.version}
    for name in spec.date_fields:
        initial[name] = today()
    if spec.slug == "confirm":
        initial["category"] = TYPE_CATEGORIES[application.type][0]
        initial["care_tier"] = CareTier.SELF
    return initial


@login_required
def case_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个办理事项")
    _capable(request, spec)
    application = selectors.case_get(user=request.user, pk=pk)
    kwargs = spec.form_kwargs(application, request.user)
    changed = False
    if request.method == "POST":
        form = spec.form(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            if form.cleaned_data["version"] != application.version:
                # Checked before the service so the officer hears that the case moved on, not
                # that the new step refuses the action; the service's conditional update still
                # settles a true race.
                form.add_error(None, services.CASE_CHANGED)
                changed = True
            else:
                acting = selectors.case_for_action(
                    user=request.user, pk=pk, version=form.cleaned_data["version"]
                )
                try:
                    message = spec.run(Act(request=request, application=acting, form=form))
                except services.CaseChanged as exc:
                    form.add_error(None, exc.message)
                    changed = True
                except services.DeterminationError as exc:
                    show_refusal(form, exc)
                else:
                    messages.success(request, message)
                    return redirect("determination:case", pk=application.pk)
    else:
        form = spec.form(initial=_initial(spec, application), **kwargs)
    return render(
        request,
        "determination/action.html",
        {
            "application": application,
            "spec": spec,
            "form": form,
            "changed": changed,
            "available": spec in case_actions(user=request.user, application=application),
            **spec.extra(application),
        },
        status=409 if changed else 200,
    )
