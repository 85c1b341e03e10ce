"""What an issued verification report shows, as plain texts (``ReportContent``): rendered to the
PDF (``report_story``) and to the web page, and kept as JSON beside the PDF so that the page of an
old report shows exactly what was issued."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from safetynet.feeds.models import VerificationPurpose
from safetynet.feeds.verification.compare import (
    NO_DATA,
    VerificationResult,
    disability_text,
    yuan,
)
from safetynet.registry.models import Income


@dataclass
class ReportContent:
    """Every text of an issued report, as plain strings: rendered to PDF and to the web page,
    and kept as JSON beside the PDF."""

    number: str
    title: str
    purpose: str
    facts: list[tuple[str, str]]
    members: list[list[str]]
    assets: list[list[str]]
    sources: list[list[str]]
    holdings: list[list[str]]
    differences: list[list[str]]
    generated_at: str  # ISO 8601

    MEMBER_HEADER = ("姓名", "与户主关系", "身份证号", "申报收入(元/月)", "申报残疾")
    ASSET_HEADER = ("类型", "所有人", "价值/金额(元)", "说明")
    SOURCE_HEADER = ("数据源", "提供部门", "数据期别", "入库时间", "批次")
    HOLDING_HEADER = ("成员", "数据源", "部门登记内容")
    DIFFERENCE_HEADER = ("序号", "成员", "数据源", "差异说明", "家庭申报", "部门登记")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["facts"] = [list(pair) for pair in self.facts]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportContent:
        values = dict(data)
        values["facts"] = [tuple(pair) for pair in data["facts"]]
        return cls(**values)


def _income_text(incomes: list[Income]) -> str:
    if not incomes:
        return "未申报"
    return "；".join(f"{i.get_kind_display()} {yuan(i.monthly_amount)}" for i in incomes)


def report_content(
    result: VerificationResult,
    *,
    number: str,
    purpose: str,
    authorisation_reference: str,
    issued_by: str,
    issued_at: dt.datetime,
) -> ReportContent:
    household = result.household
    names = {m.person.pk: m.person.name for m in result.members}
    source_names = {use.code: use.name for use in result.sources}
    applicant = next((m.person for m in result.members if m.applicant), None)
    head = household.head.name if household.head else "—"
    facts: list[tuple[str, str]] = [
        ("报告编号", number),
        ("核对授权书编号", authorisation_reference),
        ("用途", str(VerificationPurpose(purpose).label)),
        ("出具时间", timezone.localtime(issued_at).strftime("%Y-%m-%d %H:%M")),
        ("户主", head),
        ("家庭编号", str(household.pk)),
        ("所属村(居)", household.region.full_name or household.region.name),
        ("共同生活人口", f"{len(result.members)} 人"),
    ]
    if applicant is not None:
        facts.append(("申请人", f"{applicant.name}（{applicant.id_number_masked}）"))
    facts.append(("出具人", issued_by))
    sources = []
    for use in result.sources:
        if use.batch is None:
            sources.append([use.name, use.department, NO_DATA, "—", "—"])
        else:
            imported = timezone.localtime(use.batch.imported_at).strftime("%Y-%m-%d %H:%M")
            sources.append(
                [use.name, use.department, use.batch.period, imported, f"#{use.batch.pk}"]
            )
    order = {code: i for i, code in enumerate(source_names)}
    holdings = sorted(
        result.holdings, key=lambda h: (list(names).index(h.person_id), order[h.source])
    )
    return ReportContent(
        number=number,
        title="家庭经济状况核对报告",
        purpose=str(VerificationPurpose(purpose).label),
        facts=facts,
        members=[
            [
                m.person.name + ("（申请人）" if m.applicant else ""),
                m.membership.get_relation_display(),
                m.person.id_number_masked,
                _income_text(m.incomes),
                disability_text(m.person.disability_type, m.person.disability_grade),
            ]
            for m in result.members
        ],
        assets=[
            [
                a.get_kind_display(),
                names.get(a.person_id, "—") if a.person_id else "—",
                yuan(a.value),
                " ".join(
                    part
                    for part in (
                        a.description,
                        f"{yuan(a.area_m2)} 平方米" if a.area_m2 is not None else "",
                    )
                    if part
                )
                or "—",
            ]
            for a in result.assets
        ],
        sources=sources,
        holdings=[[names[h.person_id], source_names[h.source], h.text] for h in holdings],
        differences=[
            [
                str(index),
                names.get(d.person_id, "全户") if d.person_id else "全户",
                source_names[d.source],
                d.text,
                d.declared,
                d.held,
            ]
            for index, d in enumerate(result.differences, start=1)
        ],
        generated_at=issued_at.isoformat(),
    )


def report_story(content: ReportContent) -> list[Any]:
    """The report as document flowables (safetynet.documents)."""
    from safetynet import documents as doc

    story: list[Any] = [*doc.title(content.title, content.purpose), doc.facts(content.facts)]
    story += [
        doc.heading("一、核对对象（共同生活家庭成员）"),
        doc.table(
            ReportContent.MEMBER_HEADER, content.members, widths=(0.15, 0.12, 0.24, 0.31, 0.18)
        ),
        doc.heading(f"二、差异情况（共 {len(content.differences)} 项）"),
        doc.table(
            ReportContent.DIFFERENCE_HEADER,
            content.differences,
            widths=(0.06, 0.1, 0.1, 0.36, 0.14, 0.24),
            empty="未发现家庭申报与部门数据不一致的情况",
        ),
        doc.heading("三、部门登记信息"),
        doc.table(
            ReportContent.HOLDING_HEADER,
            content.holdings,
            widths=(0.15, 0.17, 0.68),
            empty="已取得数据的部门均无该户成员的登记信息",
        ),
        doc.heading("四、家庭申报财产"),
        doc.table(
            ReportContent.ASSET_HEADER,
            content.assets,
            widths=(0.15, 0.15, 0.2, 0.5),
            numeric={2},
            empty="未申报财产",
        ),
        doc.heading("五、数据来源"),
        doc.table(ReportContent.SOURCE_HEADER, content.sources, widths=(0.2, 0.2, 0.2, 0.25, 0.15)),
        doc.spacer(4),
        doc.note(
            "说明：本报告依据各部门最近一期入库数据生成，“暂无该部门数据”表示该部门尚未提供数据，"
            "不代表无登记信息。差异项须经入户调查核实后认定，不得仅凭本报告作出不予认定或终止救助的决定。"
            "本报告涉及个人信息，仅限用于上述用途，不得向无关人员提供。"
        ),
    ]
    return story
