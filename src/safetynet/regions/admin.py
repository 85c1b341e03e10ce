from __future__ import annotations

from typing import Any

from django.contrib import admin

from safetynet.regions.models import Region
from safetynet.regions.services import region_set_urban_rural


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "urban_rural", "urban_rural_overridden"]
    list_filter = ["level", "urban_rural", "urban_rural_overridden"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent", "full_name", "urban_rural_overridden"]
    fields = [
        "code",
        "name",
        "level",
        "parent",
        "full_name",
        "urban_rural",
        "urban_rural_overridden",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Region, form: Any, change: bool) -> None:
        # Only the urban/rural class is editable; recording it as an override keeps it
        # across reloads of the published tree.
        region_set_urban_rural(region=obj, urban_rural=obj.urban_rural)
