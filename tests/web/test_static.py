"""Static files: pages never fail because an optional vendored file is missing."""

from __future__ import annotations

from pathlib import Path

from django.template import Context, Template
from django.test import override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def render(source: str) -> str:
    return Template("{% load dairyhaccp %}" + source).render(Context())


def test_optional_static_gives_the_url_of_a_file() -> None:
    assert render('{% optional_static "dairyhaccp/app.css" %}') == "/static/dairyhaccp/app.css"


def test_optional_static_gives_nothing_for_a_file_missing_after_collectstatic(
    tmp_path: Path,
) -> None:
    with override_settings(STORAGES=MANIFEST_STORAGE, STATIC_ROOT=tmp_path):
        rendered = render('[{% optional_static "vendor/not-installed.js" %}]')

    assert rendered == "[]"
