from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "safetynet.changes"
    verbose_name = "家庭情况变化"
    default_auto_field = "django.db.models.BigAutoField"
