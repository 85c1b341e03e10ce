"""User administration. Registry models are deliberately not in the admin: the admin would
bypass the region scope and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from safetynet.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "department",
        "scope_region",
        "is_active",
    ]
    list_filter = ["role", "department", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    autocomplete_fields = ["scope_region"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("岗位与管辖范围", {"fields": ("role", "department", "scope_region", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("岗位与管辖范围", {"fields": ("role", "department", "scope_region")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: Any) -> bool:
        # Tokens are shown once at creation; that happens on the console (safetynet api_token).
        return False
