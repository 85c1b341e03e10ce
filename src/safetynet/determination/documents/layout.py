"""The written notices of the determination procedure as document flowables: what each notice
says, laid out with ``safetynet.documents``, from plain content records (no database access).

``notices.py`` fills these records from a case; keeping the layouts apart lets them be read,
tested and benchmarked without a case, and keeps the wording of the legal texts in one place.

Wording follows the national determination rules (最低生活保障审核确认办法, 特困人员认定办法):
a refusal states its reasons and the applicant's rights (administrative reconsideration within
60 days, administrative litigation within 6 months); a decision states the category, the monthly
amount and the month it starts; a publicity list shows ID numbers masked only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.platypus import Flowable

from safetynet import documents as doc

RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
PUBLICITY_HEADER = ("序号", "姓名", "身份证号", "村(社区)", "类别", "人口", "月保障金额(元)")


def chinese_date(value: dt.date | None) -> str:
    return "—" if value is None else f"{value.year} 年 {value.month} 月 {value.day} 日"


def chinese_month(value: dt.date | None) -> str:
    return "—" if value is None else f"{value.year} 年 {value.month} 月"


def yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def rights_text(county: str) -> str:
    """The applicant's remedies against a decision, as the notice must state them."""
    return (
        f"如对本决定不服，可以自收到本通知书之日起 {RECONSIDERATION_DAYS} 日内向{county}人民政府"
        f"申请行政复议，也可以自收到本通知书之日起 {LITIGATION_MONTHS} 个月内依法向人民法院"
        "提起行政诉讼。"
    )


@dataclass(frozen=True)
class Letterhead:
    """Who issues a notice, its number and date, and the county whose government hears an
    administrative reconsideration."""

    number: str
    issuer: str
    issued_on: dt.date
    county: str
    generated_at: dt.datetime | None = None


@dataclass(frozen=True)
class Applicant:
    name: str
    id_masked: str
    address: str


@dataclass(frozen=True)
class AttachmentLine:
    kind: str
    file_name: str
    sha256: str


@dataclass(frozen=True)
class MemberLine:
    name: str
    id_masked: str
    relation: str


@dataclass(frozen=True)
class ReceiptContent:
    head: Letterhead
    applicant: Applicant
    application_type: str
    case_number: str
    applied_on: dt.date
    accepted_on: dt.date
    member_count: int
    attachments: Sequence[AttachmentLine] = ()
    investigation_due: dt.date | None = None
    procedure_due: dt.date | None = None


@dataclass(frozen=True)
class RefusalContent:
    head: Letterhead
    applicant: Applicant
    application_type: str
    case_number: str
    applied_on: dt.date
    decided_on: dt.date
    reasons: str


@dataclass(frozen=True)
class DecisionContent:
    head: Letterhead
    applicant: Applicant
    application_type: str
    case_number: str
    applied_on: dt.date
    decided_on: dt.date
    category: str
    monthly_amount: Decimal | None
    start_month: dt.date
    members: Sequence[MemberLine] = ()
    basis: str = ""
    # Temporary assistance is paid once, not monthly, and records no category.
    one_off: bool = False


@dataclass(frozen=True)
class ReviewContent:
    head: Letterhead
    applicant: Applicant
    review_kind: str
    reviewed_on: dt.date
    outcome: str
    # The category after the review (the new one after a change).
    category: str
    monthly_amount: Decimal | None
    # When the outcome takes effect, as printed: a month, or "公示期满后的次月" while a destitute
    # termination is publicised; empty where assistance simply continues.
    effective: str
    reasons: str
    terminated: bool = False
    gradual_exit_months: int = 0


@dataclass(frozen=True)
class PublicityLine:
    name: str
    id_masked: str
    village: str
    category: str
    member_count: int
    # Text: a proposed amount may be a figure, "待核定", or a standard plus the care supplement.
    amount: str


@dataclass(frozen=True)
class PublicityContent:
    head: Letterhead
    township: str
    starts_on: dt.date
    ends_on: dt.date
    lines: Sequence[PublicityLine]
    objection_address: str
    objection_phone: str = ""
    kind: str = "认定"
    extra: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class TerminationContent:
    head: Letterhead
    applicant: Applicant
    # The person whose support ends (destitute, single-person dibao), else empty: the household.
    person: str
    category: str
    reasons: str
    started_on: dt.date
    decided_on: dt.date
    decided_by: str
    effective: str
    gradual_exit_months: int
    basis: str


def _applicant_facts(applicant: Applicant, *rest: tuple[str, str]) -> Flowable:
    return doc.facts(
        [
            ("申请人", applicant.name),
            ("身份证号", applicant.id_masked),
            ("家庭住址", applicant.address),
            *rest,
        ]
    )


def _signature(head: Letterhead) -> list[Flowable]:
    return [
        doc.spacer(10),
        doc.para(f"{head.issuer}（盖章）\n{chinese_date(head.issued_on)}", style="right"),
    ]


def meta(title: str, head: Letterhead) -> doc.DocumentMeta:
    if head.generated_at is None:
        return doc.DocumentMeta(title=title, number=head.number)
    return doc.DocumentMeta(title=title, number=head.number, generated_at=head.generated_at)


RECEIPT_TITLE = "社会救助申请受理回执"
REFUSAL_TITLE = "不予认定通知书"
DECISION_TITLE = "认定决定通知书"
REVIEW_TITLE = "复核结果通知书"
PUBLICITY_TITLE = "社会救助对象公示名单"
TERMINATION_TITLE = "终止救助通知书"
RIGHTS_BASIS = (
    "依据：《社会救助暂行办法》第六十五条，《中华人民共和国行政复议法》第二十条、第二十四条，"
    "《中华人民共和国行政诉讼法》第四十六条。"
)


def receipt_story(content: ReceiptContent) -> list[Flowable]:
    story: list[Flowable] = doc.title(RECEIPT_TITLE)
    story.append(doc.para(f"{content.applicant.name}："))
    story.append(
        doc.para(
            f"你（你家庭）于 {chinese_date(content.applied_on)}提出的{content.application_type}"
            f"申请及所附材料已收到，经审查材料齐全，于 {chinese_date(content.accepted_on)}"
            f"予以受理，案件编号 {content.case_number}。"
        )
    )
    story.append(
        _applicant_facts(
            content.applicant,
            ("申请类别", content.application_type),
            ("家庭人口", f"{content.member_count} 人"),
            ("调查开始期限", chinese_date(content.investigation_due)),
            ("办结期限", chinese_date(content.procedure_due)),
        )
    )
    story.append(doc.heading("已收材料"))
    story.append(
        doc.table(
            ("材料", "文件名", "SHA-256 校验值"),
            [(line.kind, line.file_name, line.sha256) for line in content.attachments],
            widths=(0.16, 0.3, 0.54),
            empty="无附件",
        )
    )
    story.append(doc.spacer(3))
    story.append(
        doc.para(
            "我们将在规定期限内组织入户调查并核对家庭经济状况，请配合调查并如实提供情况。"
            "家庭人口、收入、财产等情况发生变化的，请及时告知。期限按工作日计算，遇法定节假日顺延。"
        )
    )
    story += _signature(content.head)
    return story


def refusal_story(content: RefusalContent) -> list[Flowable]:
    story: list[Flowable] = doc.title(REFUSAL_TITLE)
    story.append(doc.para(f"{content.applicant.name}："))
    story.append(
        doc.para(
            f"你（你家庭）于 {chinese_date(content.applied_on)}提出的{content.application_type}"
            f"申请（案件编号 {content.case_number}），经入户调查、家庭经济状况核对和审核，"
            f"于 {chinese_date(content.decided_on)}决定不予认定。"
        )
    )
    story.append(_applicant_facts(content.applicant, ("申请类别", content.application_type)))
    story.append(doc.heading("不予认定的理由"))
    story.append(doc.para(content.reasons))
    story.append(doc.heading("权利告知"))
    story.append(doc.para(rights_text(content.head.county)))
    story += _signature(content.head)
    return story


def decision_story(content: DecisionContent) -> list[Flowable]:
    story: list[Flowable] = doc.title(DECISION_TITLE)
    story.append(doc.para(f"{content.applicant.name}："))
    opening = (
        f"你（你家庭）于 {chinese_date(content.applied_on)}提出的{content.application_type}"
        f"申请（案件编号 {content.case_number}），经审核，于 {chinese_date(content.decided_on)}"
    )
    if content.one_off:
        story.append(
            doc.para(
                f"{opening}决定给予临时救助，一次性发放救助金 {yuan(content.monthly_amount)} 元。"
            )
        )
        rest = [("救助类别", content.category), ("救助金额", f"{yuan(content.monthly_amount)} 元")]
    else:
        amount = (
            f"每月发放 {yuan(content.monthly_amount)} 元"
            if content.monthly_amount
            else "按规定享受相应救助帮扶"
        )
        story.append(
            doc.para(
                f"{opening}决定认定为{content.category}，"
                f"自 {chinese_month(content.start_month)}起{amount}。"
            )
        )
        rest = [
            ("认定类别", content.category),
            ("月保障金额", f"{yuan(content.monthly_amount)} 元"),
            ("起始月份", chinese_month(content.start_month)),
        ]
    story.append(
        _applicant_facts(content.applicant, *rest, ("决定日期", chinese_date(content.decided_on)))
    )
    if content.basis:
        story.append(doc.para(content.basis))
    story.append(doc.heading("保障对象"))
    story.append(
        doc.table(
            ("姓名", "身份证号", "与申请人关系"),
            [(m.name, m.id_masked, m.relation) for m in content.members],
            widths=(0.3, 0.4, 0.3),
        )
    )
    story.append(doc.heading("告知事项"))
    story.append(
        doc.para(
            "家庭人口、收入、财产等状况发生变化的，应当及时告知乡镇人民政府（街道办事处），"
            "并按规定接受定期核查。"
        )
    )
    story.append(doc.para(rights_text(content.head.county)))
    story += _signature(content.head)
    return story


def review_story(content: ReviewContent) -> list[Flowable]:
    story: list[Flowable] = doc.title(REVIEW_TITLE)
    story.append(doc.para(f"{content.applicant.name}："))
    story.append(
        doc.para(
            f"经{content.review_kind}（{chinese_date(content.reviewed_on)}），"
            f"对你家庭的救助作出如下处理：{content.outcome}。"
        )
    )
    rest: list[tuple[str, str]] = [("复核类型", content.review_kind), ("复核结果", content.outcome)]
    if content.terminated:
        rest.append(("停止救助时间", content.effective or "—"))
        if content.gradual_exit_months:
            rest.append(("渐退期", f"{content.gradual_exit_months} 个月"))
    else:
        rest += [
            ("救助类别", content.category),
            ("月保障金额", f"{yuan(content.monthly_amount)} 元"),
        ]
        if content.effective:
            rest.append(("执行时间", content.effective))
    story.append(_applicant_facts(content.applicant, *rest))
    story.append(doc.heading("理由"))
    story.append(doc.para(content.reasons or "—"))
    story.append(doc.heading("权利告知"))
    story.append(doc.para(rights_text(content.head.county)))
    story += _signature(content.head)
    return story


def publicity_story(content: PublicityContent) -> list[Flowable]:
    subtitle = (
        f"{content.township}　公示期：{chinese_date(content.starts_on)} 至 "
        f"{chinese_date(content.ends_on)}"
    )
    story: list[Flowable] = [*doc.title(f"{content.kind}{PUBLICITY_TITLE}", subtitle)]
    story.append(
        doc.para(
            f"根据社会救助审核确认的有关规定，现将{content.township}拟{content.kind}的救助对象"
            f"予以公示（共 {len(content.lines)} 户），接受群众监督。"
        )
    )
    story.append(
        doc.table(
            PUBLICITY_HEADER,
            [
                (
                    str(index),
                    line.name,
                    line.id_masked,
                    line.village,
                    line.category,
                    str(line.member_count),
                    line.amount,
                )
                for index, line in enumerate(content.lines, start=1)
            ],
            widths=(0.06, 0.11, 0.23, 0.23, 0.13, 0.07, 0.17),
            numeric={0, 5, 6},
            empty="本期无公示对象",
        )
    )
    story.append(doc.heading("异议受理"))
    where = f"受理地点：{content.objection_address}"
    if content.objection_phone:
        where += f"；联系电话：{content.objection_phone}"
    story.append(
        doc.para(
            "公示期间，对公示对象有异议的，可以书面或口头向下列地点反映，请提供具体事实；"
            f"我们将依法对反映的情况进行核实，并为反映人保密。{where}。"
        )
    )
    story += [doc.para(text) for text in content.extra]
    story += _signature(content.head)
    return story


def termination_story(content: TerminationContent) -> list[Flowable]:
    story: list[Flowable] = doc.title(TERMINATION_TITLE)
    story.append(doc.para(f"{content.applicant.name}："))
    whom = f"{content.person}的" if content.person else "你家庭的"
    story.append(
        doc.para(
            f"经核查，{whom}{content.category}救助不再符合条件。根据{content.basis}，"
            f"决定自 {content.effective}起终止{content.category}救助。"
        )
    )
    facts: list[tuple[str, str]] = [
        ("终止类别", content.category),
        ("启动日期", chinese_date(content.started_on)),
        ("决定日期", chinese_date(content.decided_on)),
        ("决定机关", content.decided_by),
        ("停止救助时间", f"{content.effective}起"),
    ]
    if content.person:
        facts.insert(1, ("终止对象", content.person))
    if content.gradual_exit_months:
        facts.append(("渐退期", f"{content.gradual_exit_months} 个月（渐退期内继续享受救助）"))
    story.append(_applicant_facts(content.applicant, *facts))
    story.append(doc.heading("终止理由"))
    story.append(doc.para(content.reasons or "—"))
    story.append(doc.heading("权利告知"))
    story.append(doc.para(rights_text(content.head.county)))
    story.append(doc.para(RIGHTS_BASIS))
    story += _signature(content.head)
    return story
