"""Every date widget renders an ISO date, the only value ``<input type="date">`` accepts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation


class _Form(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    plain = forms.DateField()


def test_date_widgets_render_iso_dates_in_chinese() -> None:
    with translation.override("zh-hans"):
        html = str(_Form(initial={"day": dt.date(2026, 12, 7), "plain": dt.date(2026, 12, 7)}))

    assert 'value="2026-12-07"' in html
    assert "2026/12/07" not in html


def test_slashed_and_chinese_dates_are_still_accepted() -> None:
    with translation.override("zh-hans"):
        for typed in ("2026-12-07", "2026/12/07", "2026年12月07日"):
            form = _Form(data={"day": typed, "plain": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == dt.date(2026, 12, 7)
