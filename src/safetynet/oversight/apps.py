from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "safetynet.oversight"
    verbose_name = "监督管理"
    default_auto_field = "django.db.models.BigAutoField"
