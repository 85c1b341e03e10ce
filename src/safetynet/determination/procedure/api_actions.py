"""One POST per procedure action on a case (accept … transfer consent), each carrying the
version the caller saw; registered on the cases router (``api_common.router``)."""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``, ``Form[...]``) when the routes are declared.
from typing import Any

from ninja.errors import HttpError, ValidationError

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.audit.services import client_of
from safetynet.determination import services
from safetynet.determination.models import (
    DataCheck,
    Transfer,
)
from safetynet.determination.procedure.api_common import (
    AcceptIn,
    ConfirmIn,
    ConsentIn,
    DataCheckAnswerIn,
    DateIn,
    HomeVisitIn,
    ObjectionIn,
    PublicityIn,
    ReasonIn,
    RefuseIn,
    ReturnIn,
    SpotCheckIn,
    TownshipReviewIn,
    VersionIn,
    _action,
    _case,
    _fresh,
    refusals,
)


@_action("/{int:case_id}/accept", "受理", "核对授权书已上传方可受理；受理后 3 个工作日内启动调查。")
def case_accept(request: AuthenticatedRequest, case_id: int, payload: AcceptIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_accept(
            actor=request.user,
            application=application,
            accepted_on=payload.accepted_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/return", "退回补正", "退回申请并列出需补正的材料。")
def case_return(request: AuthenticatedRequest, case_id: int, payload: ReturnIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_return(
            actor=request.user,
            application=application,
            missing_items=payload.missing_items,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/resubmit", "补正后重新提交", "材料补齐后重新提交待受理。")
def case_resubmit(request: AuthenticatedRequest, case_id: int, payload: VersionIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_resubmit(
            actor=request.user, application=application, client=client_of(request)
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/withdraw", "撤回申请", "申请人撤回申请，须写明原因。")
def case_withdraw(request: AuthenticatedRequest, case_id: int, payload: ReasonIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_withdraw(
            actor=request.user,
            application=application,
            reason=payload.reason,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/home-visits", "登记入户调查", "至少两名工作人员入户调查的时间、人员和情况。"
)
def case_home_visit(request: AuthenticatedRequest, case_id: int, payload: HomeVisitIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.home_visit_record(
            actor=request.user,
            application=application,
            visited_on=payload.visited_on,
            staff=payload.staff,
            findings=payload.findings,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/data-checks", "提请经济状况核对", "县级 3 个工作日内反馈。")
def case_data_check(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.data_check_request(
            actor=request.user,
            application=application,
            requested_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/data-checks/{int:check_id}/answer",
    "反馈核对结果",
    "县级手工填写核对结果，或选择为本户出具的家庭经济状况核对报告。",
)
def case_data_check_answer(
    request: AuthenticatedRequest, case_id: int, check_id: int, payload: DataCheckAnswerIn
) -> Any:
    application = _case(request, case_id, payload.version)
    data_check = DataCheck.objects.filter(application=application, pk=check_id).first()
    if data_check is None:
        raise HttpError(404, "未找到该核对请求")
    data_check.application = application  # the version the caller saw
    report = None
    if payload.verification_report_id is not None:
        from safetynet.feeds.models import VerificationReport

        report = VerificationReport.objects.filter(
            pk=payload.verification_report_id, household_id=application.household_id
        ).first()
        if report is None:
            raise ValidationError(
                [
                    {
                        "loc": ("body", "payload", "verification_report_id"),
                        "type": "value_error",
                        "msg": "核对报告不是本户的",
                        "ctx": {"error": "核对报告不存在或不是本户的"},
                    }
                ]
            )
    with refusals():
        services.data_check_answer(
            actor=request.user,
            data_check=data_check,
            answer=payload.answer,
            verification_report=report,
            answered_on=payload.answered_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/township-review", "乡镇(街道)审核", "登记审核意见；需公示的类型转入待公示。"
)
def case_township_review(
    request: AuthenticatedRequest, case_id: int, payload: TownshipReviewIn
) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.township_review(
            actor=request.user,
            application=application,
            opinion=payload.opinion,
            objection_outcome=payload.objection_outcome,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/publicity", "开始公示", "公示 7 天。")
def case_publicity(request: AuthenticatedRequest, case_id: int, payload: PublicityIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.publicity_start(
            actor=request.user,
            application=application,
            starts_on=payload.starts_on,
            place=payload.place,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/objections", "登记公示异议", "异议使案件重回调查（特困 15 个工作日复查）。"
)
def case_objection(request: AuthenticatedRequest, case_id: int, payload: ObjectionIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.objection_record(
            actor=request.user,
            application=application,
            content=payload.content,
            received_on=payload.received_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/publicity/close", "结束公示", "公示期满无异议，报送审核确认。")
def case_publicity_close(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.publicity_close(
            actor=request.user,
            application=application,
            closed_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/spot-check", "登记县级抽查", "特困案件按不低于 30% 的比例抽查。")
def case_spot_check(request: AuthenticatedRequest, case_id: int, payload: SpotCheckIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.spot_check_record(
            actor=request.user,
            application=application,
            result=payload.result.value,
            note=payload.note,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/confirm",
    "审核确认（予以认定）",
    "县级（或受委托的乡镇）确认：类别、金额（按标准计算）、起始月份为决定的次月。",
)
def case_confirm(request: AuthenticatedRequest, case_id: int, payload: ConfirmIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.decision_confirm(
            actor=request.user,
            application=application,
            category=payload.category.value if payload.category else None,
            care_tier=payload.care_tier.value if payload.care_tier else "",
            amount=payload.amount,
            reasons=payload.reasons,
            income_unstable=payload.income_unstable,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/refuse",
    "不予认定",
    "写明理由；书面告知须在决定后 3 个工作日内送达。",
)
def case_refuse(request: AuthenticatedRequest, case_id: int, payload: RefuseIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.decision_refuse(
            actor=request.user,
            application=application,
            reasons=payload.reasons,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/refusal-notice", "登记告知书送达", "不予认定告知书已送达申请人。")
def case_refusal_notice(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.refusal_notice_issue(
            actor=request.user,
            application=application,
            issued_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/extend", "延长办理期限", "写明原因，全流程由 30 个工作日延至 45 个。")
def case_extend(request: AuthenticatedRequest, case_id: int, payload: ReasonIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.procedure_extend(
            actor=request.user,
            application=application,
            reason=payload.reason,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/transfer",
    "告知转介",
    "不符合所申请类型、但评估符合低保边缘或刚性支出困难条件时，告知申请人相关政策。",
)
def case_transfer(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.transfer_offer(
            actor=request.user,
            application=application,
            informed_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/transfer/consent",
    "登记转介意见",
    "申请人同意的，新建转介案件，3 个工作日内完成认定。",
)
def case_transfer_consent(request: AuthenticatedRequest, case_id: int, payload: ConsentIn) -> Any:
    application = _case(request, case_id, payload.version)
    transfer = Transfer.objects.filter(application=application).first()
    if transfer is None:
        raise HttpError(400, "该案件尚未告知转介")
    transfer.application = application  # the version the caller saw
    with refusals():
        services.transfer_consent(
            actor=request.user,
            transfer=transfer,
            consent=payload.consent,
            client=client_of(request),
        )
    return _fresh(request, case_id)
