from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safetynet.audit"
    verbose_name = "审计日志"
