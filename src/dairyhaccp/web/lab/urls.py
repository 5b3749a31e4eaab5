"""URLs of the lab context, mounted under /<operator_slug>/lab/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "lab"

urlpatterns: list[URLPattern | URLResolver] = []
