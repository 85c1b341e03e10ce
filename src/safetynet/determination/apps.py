from django.apps import AppConfig


class DeterminationConfig(AppConfig):
    name = "safetynet.determination"
    verbose_name = "认定审批"
