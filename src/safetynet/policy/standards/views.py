"""Pages of the local standards: what is in force where and since when, the history of versions,
a new version, and an Excel table of every county's standards.

Standards are not personal data, but a user looks only at regions in their scope and the levels
above it, and sets standards only where the service allows.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.core.dates import query_date, query_date_notice
from safetynet.downloads import XLSX, download
from safetynet.policy.models import StandardVersion
from safetynet.policy.standards import selectors, services
from safetynet.policy.standards.forms import StandardVersionForm
from safetynet.regions.models import Level, Region
from safetynet.spreadsheets import Workbook


def _region(request: AuthenticatedRequest) -> Region | None:
    code = request.GET.get("region", "").strip()
    if code:
        return selectors.standards_region_get(user=request.user, region_code=code)
    return selectors.standards_default_region(user=request.user)


def _display(version: StandardVersion, name: str) -> Any:
    if name == "expenditure_rule":
        return version.get_expenditure_rule_display()
    value = getattr(version, name)
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return value


@dataclass(frozen=True)
class LocalRow:
    """A local figure of issue 10 as in force: set by some level, or the national default."""

    label: str
    display: str
    is_example: bool
    source: str
    basis: str


def _local_rows(resolved: selectors.ResolvedStandards) -> list[LocalRow]:
    rows = []
    for name, (default, default_is_example) in StandardVersion.OPTIONAL_FIGURES.items():
        label = selectors.figure_label(name)
        figure = resolved.optional.get(name)
        if figure is not None:
            value = figure.value
            shown = "；".join(value) if isinstance(value, list) else str(value)
            own = not resolved.inherited(figure)
            version = figure.version
            rows.append(
                LocalRow(
                    label=label,
                    display=shown or "（无）",
                    is_example=figure.is_example,
                    source=("本级" if own else f"继承自{version.region.name}")
                    + f"（{version.effective_from:%Y-%m-%d} 起）",
                    basis=version.source or "—",
                )
            )
        else:
            shown = "；".join(default) if isinstance(default, list) else str(default)
            rows.append(
                LocalRow(
                    label=label,
                    display=shown or "（无）",
                    is_example=default_is_example,
                    source="各级均未设定，适用全国默认",
                    basis="—",
                )
            )
    return rows


@dataclass(frozen=True)
class FigureRow:
    figure: selectors.ResolvedFigure
    own: bool  # set by the region shown, not inherited


@login_required
@require_GET
def standards_index(request: AuthenticatedRequest) -> HttpResponse:
    on, date_error = query_date_notice(
        request.GET.get("on"), default=timezone.localdate(), shown="今天执行的标准"
    )
    region = _region(request)
    context: dict[str, Any] = {
        "region": region,
        "on": on,
        "today": timezone.localdate(),
        "date_error": date_error,
        "scope_root": request.user.scope_region_id or "",
    }
    if region is None:
        return render(request, "policy/standards_index.html", context)
    try:
        resolved = selectors.standards_resolve(region_code=region.code, on=on)
    except selectors.StandardsMissing as exc:
        resolved, context["missing"] = None, str(exc)
    if resolved is not None:
        context["resolved"] = resolved
        context["rows"] = [
            FigureRow(figure=f, own=not resolved.inherited(f)) for f in resolved.figures.values()
        ]
        context["local_rows"] = _local_rows(resolved)
    today = timezone.localdate()
    history = selectors.standards_history(region_code=region.code)
    editable = {
        version.region_id: services.standards_refusal(actor=request.user, region=version.region)
        is None
        for version in history
    }
    context["history"] = [
        {
            "version": v,
            "figures": [
                (selectors.figure_label(name), _display(v, name), v.is_example_figure(name))
                for name in StandardVersion.EDITABLE
                if getattr(v, name) not in (None, "", [])
            ],
            "in_force": resolved is not None and resolved.in_force.get(v.region_id) == v,
            "deletable": editable[v.region_id] and v.effective_from > today,
        }
        for v in history
    ]
    standards_region = selectors.chain_codes(region.code)[-1]
    context["standards_region_code"] = standards_region
    context["can_add"] = request.user.has_capability(Capability.EDIT_STANDARDS) and (
        region.code == standards_region
        and services.standards_refusal(actor=request.user, region=region) is None
    )
    return render(request, "policy/standards_index.html", context)


def _resolve_or_none(code: str, on: dt.date) -> selectors.ResolvedStandards | None:
    try:
        return selectors.standards_resolve(region_code=code, on=on)
    except selectors.StandardsMissing:
        return None


def _initial(region: Region, current: selectors.ResolvedStandards | None) -> dict[str, Any]:
    """The province starts from every figure in force; a city or county from the figures it
    sets itself, so that what it leaves blank keeps following the levels above."""
    initial: dict[str, Any] = {"effective_from": timezone.localdate()}
    if current is None:
        return initial
    for name, figure in [*current.figures.items(), *current.optional.items()]:
        if region.level == Level.PROVINCE or figure.version.region_id == region.code:
            value = figure.value
            initial[name] = "\n".join(value) if isinstance(value, list) else value
    return initial


@login_required
def standards_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_capability(Capability.EDIT_STANDARDS):
        raise PermissionDenied("您没有维护地方标准的权限")
    code = request.GET.get("region") or request.POST.get("region") or ""
    region = selectors.standards_region_get(user=request.user, region_code=code)
    refusal = services.standards_refusal(actor=request.user, region=region)
    if refusal is not None:
        raise PermissionDenied(refusal)
    today = timezone.localdate()
    province = region.level == Level.PROVINCE
    current = _resolve_or_none(region.code, today)
    parent = None if province else _resolve_or_none(selectors.chain_codes(region.code)[-2], today)
    figure_forms: dict[str, Any] = {"current": current, "parent": parent, "province": province}
    general: list[str] = []
    if request.method == "POST":
        form = StandardVersionForm(request.POST, **figure_forms)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.standard_version_create(
                    actor=request.user,
                    region=region,
                    effective_from=data["effective_from"],
                    figures=form.figures(),
                    source=data["source"],
                    note=data["note"],
                    is_example=data["is_example"],
                    client=client_of(request),
                )
            except services.StandardsValidationError as exc:
                for field, reason in exc.problems:
                    if field in form.fields:
                        form.add_error(field, reason)
                    else:
                        general.append(reason)
            else:
                messages.success(
                    request,
                    f"已新增{region.name}自 {version.effective_from:%Y-%m-%d} 起执行的标准版本。",
                )
                query = f"?region={region.code}&on={version.effective_from:%Y-%m-%d}"
                return redirect(reverse("policy:standards") + query)
    else:
        form = StandardVersionForm(initial=_initial(region, current), **figure_forms)
    return render(
        request,
        "policy/standards_form.html",
        {"form": form, "region": region, "general_errors": general, "province": province},
    )


@login_required
@require_POST
def standards_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(StandardVersion.objects.select_related("region"), pk=pk)
    # Outside the user's scope and the levels above it, the version does not exist for them.
    selectors.standards_region_get(user=request.user, region_code=version.region_id)
    try:
        services.standard_version_delete(
            actor=request.user, version=version, client=client_of(request)
        )
    except services.StandardsPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.StandardsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已删除{version.region.name}自 {version.effective_from:%Y-%m-%d} 起的标准版本。",
        )
    return redirect(reverse("policy:standards") + f"?region={version.region_id}")


@login_required
@require_GET
def standards_export(request: AuthenticatedRequest) -> HttpResponse:
    on, _ = query_date(request.GET.get("on"), default=timezone.localdate())
    counties = selectors.counties_in_scope(request.user)
    if not counties:
        raise Http404("您的管辖范围内没有县级区划。")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("地方标准")
    names = StandardVersion.FIGURES
    sheet.append([f"{on:%Y-%m-%d} 执行的地方标准（标注“示例”的数值未引自正式发布文件）"])
    sheet.append(
        ["区划代码", "县(区)", *[selectors.figure_label(n) for n in names], "示例数值项", "来源"]
    )
    table = selectors.standards_effective_table(regions=counties, on=on)
    for county, resolved in zip(counties, table, strict=True):
        head = [county.code[:6], county.full_name or county.name]
        if isinstance(resolved, selectors.StandardsMissing):
            sheet.append([*head, str(resolved)])
            continue
        figures = [resolved.figures[n] for n in names]
        examples = "、".join(f.label for f in figures if f.is_example)
        origins = sorted({f.provenance.removesuffix(" 示例") for f in figures})
        sheet.append(
            [
                *head,
                *[
                    f.value if n != "expenditure_rule" else f.display
                    for n, f in zip(names, figures, strict=True)
                ],
                examples,
                "；".join(origins),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.standards_exported(
        actor=request.user, on=on, counties=counties, client=client_of(request)
    )
    return download(buffer.getvalue(), f"standards-{on:%Y%m%d}.xlsx", XLSX)
