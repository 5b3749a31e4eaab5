"""URLs of the dossier context, mounted under /<operator_slug>/dossier/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "dossier"

urlpatterns: list[URLPattern | URLResolver] = []
