from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "safetynet.policy"
    verbose_name = "政策标准与认定规则"
