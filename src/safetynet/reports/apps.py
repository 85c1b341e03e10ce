from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safetynet.reports"
    verbose_name = "统计分析"
