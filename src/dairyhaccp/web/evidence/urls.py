"""URLs of the evidence context, mounted under /<operator_slug>/evidence/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.evidence import views

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("receipt/", views.receipt, name="receipt"),
]
