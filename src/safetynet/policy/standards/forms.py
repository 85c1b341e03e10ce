"""Form of a new standards version. It only carries the input: the figures stay text here so that
the service checks them once, with the same messages for the web, the API and the data files."""

from __future__ import annotations

from typing import Any

from django import forms

from safetynet.policy.models import ExpenditureRuleChoice, StandardVersion
from safetynet.policy.standards.selectors import ResolvedStandards, figure_label


class StandardVersionForm(forms.Form):
    effective_from = forms.DateField(
        label="生效日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写生效日期", "invalid": "日期格式应为 YYYY-MM-DD"},
    )
    source = forms.CharField(
        label="依据(文件名称、文号)",
        required=False,
        max_length=300,
        help_text="如《关于提高城乡低保标准的通知》（豫民文〔2025〕X号）",
    )
    note = forms.CharField(label="说明", required=False, max_length=300)
    is_example = forms.BooleanField(
        label="示例数值",
        required=False,
        help_text="未引自正式发布文件的演示数值请勾选，界面将标注“示例”",
    )

    def __init__(
        self,
        *args: Any,
        current: ResolvedStandards | None,
        parent: ResolvedStandards | None,
        province: bool = False,
        **kwargs: Any,
    ) -> None:
        """``current``: the region's standards in force today, shown beside each figure;
        ``parent``: what the region would inherit for a figure left blank (None for the
        province, which inherits nothing and must fill in every figure)."""
        super().__init__(*args, **kwargs)
        for name in StandardVersion.FIGURES:
            label = figure_label(name)
            above = parent.figures.get(name) if parent else None
            if name == "expenditure_rule":
                blank = f"继承上级（{above.display}）" if above else "（请选择）"
                field: forms.Field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", blank), *ExpenditureRuleChoice.choices],
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
                if above is not None:
                    field.widget.attrs["placeholder"] = f"继承 {above.display}"
            figure = current.figures.get(name) if current else None
            if figure is not None:
                version = figure.version
                field.help_text = (
                    f"当前执行 {figure.display}"
                    f"（{version.region.name} {version.effective_from:%Y-%m-%d}）"
                    + (" 示例" if figure.is_example else "")
                )
            self.fields[name] = field
        self._local_fields(current, parent, province)

    def _local_fields(
        self,
        current: ResolvedStandards | None,
        parent: ResolvedStandards | None,
        province: bool,
    ) -> None:
        """The local figures (issue 10): optional at every level; where no level sets one the
        national default applies. The province's other cases of inability only at the province."""
        for name, (default, default_is_example) in StandardVersion.OPTIONAL_FIGURES.items():
            if name in StandardVersion.PROVINCE_ONLY and not province:
                continue
            label = figure_label(name)
            above = parent.optional.get(name) if parent else None
            fallback = "；".join(default) if isinstance(default, list) else default
            if name == "supporter_other_cases":
                field: forms.Field = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
                inherited = _shown(above.value) if above else f"全国默认 {fallback}"
                field.widget.attrs["placeholder"] = f"继承 {inherited}"
            figure = current.optional.get(name) if current else None
            if figure is not None:
                version = figure.version
                field.help_text = (
                    f"当前执行 {_shown(figure.value)}"
                    f"（{version.region.name} {version.effective_from:%Y-%m-%d}）"
                    + (" 示例" if figure.is_example else "")
                )
            else:
                field.help_text = f"当前执行全国默认 {fallback or '（无）'}" + (
                    "（示例，请按本地文件填写）" if default_is_example else ""
                )
            if name == "supporter_other_cases":
                field.help_text += "；每行填写一种情形"
            self.fields[name] = field

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in StandardVersion.EDITABLE if name in self.fields]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("effective_from", "source", "note", "is_example")]

    def figures(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in StandardVersion.EDITABLE
            if name in self.fields
        }


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "；".join(str(v) for v in value) or "（无）"
    return str(value)
