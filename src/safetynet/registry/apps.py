from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "safetynet.registry"
    verbose_name = "家庭与人员"
