"""Back office: operators, their members and API tokens in the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.operators.models import ApiToken, Membership, Operator


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "operator", "role", "created_at"]
    list_filter = ["role", "operator"]
    search_fields = ["user__username", "operator__name"]
    autocomplete_fields = ["user", "operator"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py issue_api_token`; here they can be seen and revoked."""

    list_display = ["label", "user", "operator", "created_at", "last_used_at"]
    list_filter = ["operator"]
    search_fields = ["label", "user__username", "operator__name"]
    readonly_fields = ["user", "operator", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The clear token must be shown once at issue time, which the admin form cannot do.
        return False
