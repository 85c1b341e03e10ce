from __future__ import annotations

from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "safetynet.assistance"
    verbose_name = "救助帮扶"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Neither monitoring nor determination knows this app: a home check concluded
        # 转相关部门 / 特殊情况 and a confirmed decision are heard here and become proposals.
        from django.db.models.signals import post_save

        from safetynet.determination.selectors import decision_model
        from safetynet.monitoring.checks.selectors import visit_model

        post_save.connect(_visit_saved, sender=visit_model(), dispatch_uid="assistance_visit")
        post_save.connect(
            _decision_saved, sender=decision_model(), dispatch_uid="assistance_decision"
        )


def _visit_saved(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    from django.db import transaction

    from safetynet.assistance.referrals.services import proposals_from_visit

    pk = getattr(instance, "pk", None)
    # After the visit's transaction: its outcome fields are final then.
    transaction.on_commit(lambda: proposals_from_visit(visit_id=pk))


def _decision_saved(sender: object, instance: object, created: bool, **kwargs: object) -> None:
    if kwargs.get("raw") or not created:
        return
    from django.db import transaction

    from safetynet.assistance.referrals.services import proposals_from_decision

    pk = getattr(instance, "pk", None)
    transaction.on_commit(lambda: proposals_from_decision(decision_id=pk))
