from django.apps import AppConfig


class JinminConfig(AppConfig):
    name = "safetynet.jinmin"
    verbose_name = "金民工程数据交换"
    default_auto_field = "django.db.models.BigAutoField"
