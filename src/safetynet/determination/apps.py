from django.apps import AppConfig


class DeterminationConfig(AppConfig):
    name = "safetynet.determination"
    verbose_name = "认定审批"

    def ready(self) -> None:
        from safetynet.determination.after import amounts_in_force
        from safetynet.registry import exports

        exports.export_column_register(
            exports.ExportColumn(
                header=amounts_in_force.HEADER,
                after="家庭月人均收入(元)",
                values=amounts_in_force.export_values,
            )
        )
