from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps


class ReportsConfig(AppConfig):
    name = "safetynet.reports"
    verbose_name = "统计分析"

    def ready(self) -> None:
        # A county's payment roll issued for payment (assistance) changes the month's amounts
        # paid: that month is rebuilt once the roll is stored. Assistance does not know this app.
        if apps.is_installed("safetynet.assistance"):
            from django.db.models.signals import post_save

            post_save.connect(
                _roll_issued,
                sender=apps.get_model("assistance", "PaidRoll"),
                dispatch_uid="reports_roll_issued",
            )


def _roll_issued(sender: object, instance: Any, created: bool, **kwargs: object) -> None:
    if kwargs.get("raw") or not created:
        return
    from django.db import transaction

    from safetynet.reports.rollups import refresh_month

    month = instance.month
    transaction.on_commit(lambda: refresh_month(month, trigger="payment_roll"))
