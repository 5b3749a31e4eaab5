"""URLs of one operator, mounted under /<operator_slug>/."""

from __future__ import annotations

from django.urls import path

from dairyhaccp.web.operators import views
from dairyhaccp.web.operators.views import people

app_name = "operators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.operator_settings, name="settings"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite_person, name="invite"),
    path("people/<int:membership_id>/remove/", people.remove_access, name="remove-access"),
    path("people/<int:membership_id>/period/", people.access_period, name="access-period"),
    path(
        "people/invitations/<int:invitation_id>/withdraw/",
        people.withdraw_invitation,
        name="withdraw-invitation",
    ),
]
