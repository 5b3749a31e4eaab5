"""URLs of one operator, mounted under /<operator_slug>/."""

from __future__ import annotations

from django.urls import path

from dairyhaccp.web.operators import views

app_name = "operators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.operator_settings, name="settings"),
]
