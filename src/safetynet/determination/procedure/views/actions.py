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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.determination import selectors, services
from safetynet.determination.common import require_any, show_refusal, today
from safetynet.determination.models import (
    Application,
    CareTier,
    Transfer,
)
from safetynet.determination.procedure import forms as f
from safetynet.determination.procedure.decisions import TYPE_CATEGORIES
from safetynet.determination.procedure.views import preview
from safetynet.determination.procedure.views.action_calls import (
    Act,
    _accept,
    _confirm,
    _data_check_answer,
    _data_check_request,
    _extend,
    _home_visit,
    _household_reports,
    _objection,
    _publicity_close,
    _publicity_start,
    _refusal_notice,
    _refuse,
    _resubmit,
    _return,
    _spot_check,
    _township_review,
    _transfer_consent,
    _transfer_offer,
    _withdraw,
)


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
