from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "safetynet.monitoring"
    verbose_name = "动态监测预警"

    def ready(self) -> None:
        # Feeds knows nothing of monitoring: the scan listens for stored batches.
        from django.db.models.signals import post_save

        from safetynet.feeds.models import FeedBatch

        post_save.connect(_batch_stored, sender=FeedBatch, dispatch_uid="monitoring_batch_stored")

        # Determination knows nothing of monitoring: its review queue lists the periodic checks
        # (二(二)) through the hook it offers.
        from safetynet.determination.after import queue
        from safetynet.monitoring.checks.queue import periodic_checks_due

        queue.register("monitoring_periodic_checks", periodic_checks_due)

        from safetynet.monitoring.alerts.rekey import rekey_alerts
        from safetynet.registry.rotation import register_step

        register_step("alerts", rekey_alerts)


def _batch_stored(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    from django.conf import settings

    from safetynet.feeds.models import BatchStatus

    if (
        created
        and getattr(instance, "status", "") == BatchStatus.STORED
        and settings.MONITORING_SCAN_AFTER_BATCH
    ):
        from safetynet.monitoring.scan.tasks import scan_after_batch

        scan_after_batch(source=str(getattr(instance, "source", "")))
