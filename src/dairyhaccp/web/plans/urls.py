"""URLs of the plans context, mounted under /<operator_slug>/plans/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "plans"

urlpatterns: list[URLPattern | URLResolver] = []
