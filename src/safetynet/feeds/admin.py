from django.contrib import admin

from safetynet.feeds.models import FeedBatch, SourceDefinition


@admin.register(SourceDefinition)
class SourceDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "active")


@admin.register(FeedBatch)
class FeedBatchAdmin(admin.ModelAdmin):
    list_display = ("source", "period", "status", "rows_accepted", "rows_rejected", "imported_at")
    list_filter = ("source", "status")
