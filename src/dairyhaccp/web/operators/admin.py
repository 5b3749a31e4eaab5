"""Back office: operators, their members and API tokens in the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.operators.models import (
    ApiToken,
    Invitation,
    Membership,
    Operator,
    PendingSignUp,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "favv_number", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "favv_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "operator", "role", "access_from", "access_until", "created_at"]
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent by owners from the people page; here they can be looked up."""

    list_display = ["email", "operator", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "operator"]
    search_fields = ["email", "operator__name"]
    exclude = ["nonce"]
    readonly_fields = [
        "operator",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "revoked_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # An invitation is only of use with its e-mailed link, which the people page sends.
        return False


@admin.register(PendingSignUp)
class PendingSignUpAdmin(admin.ModelAdmin):
    """Sign-ups, verified or still waiting for their link to be followed."""

    list_display = ["business_name", "email", "username", "created_at", "verified_at"]
    search_fields = ["business_name", "email", "username"]
    exclude = ["password_hash", "nonce"]
    readonly_fields = [
        "business_name",
        "address",
        "favv_number",
        "kind",
        "first_name",
        "last_name",
        "email",
        "username",
        "language",
        "created_at",
        "verified_at",
        "operator",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
