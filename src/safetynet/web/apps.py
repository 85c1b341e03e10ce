from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "safetynet.web"
    verbose_name = "界面"
