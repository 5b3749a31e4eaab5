"""URLs of the records context, mounted under /<operator_slug>/records/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = []
