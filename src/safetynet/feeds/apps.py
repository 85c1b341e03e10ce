from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "safetynet.feeds"
    verbose_name = "部门数据"

    def ready(self) -> None:
        from safetynet.feeds.rekey import rekey_batches
        from safetynet.registry.rotation import register_step

        register_step("batches", rekey_batches)
