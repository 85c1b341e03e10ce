from django.contrib import admin

from safetynet.feeds.models import FeedBatch, SourceDefinition
from safetynet.policy.admin import ReadOnlyAdmin


@admin.register(SourceDefinition)
class SourceDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "department", "active")


@admin.register(FeedBatch)
class FeedBatchAdmin(ReadOnlyAdmin):
    list_display = ("source", "period", "status", "rows_accepted", "rows_rejected", "imported_at")
    list_filter = ("source", "status")
