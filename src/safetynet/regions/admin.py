from django.contrib import admin

from safetynet.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "urban_rural", "urban_rural_overridden"]
    list_filter = ["level", "urban_rural", "urban_rural_overridden"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent", "full_name"]
