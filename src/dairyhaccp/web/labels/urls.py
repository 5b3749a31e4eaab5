"""URLs of the labels context, mounted under /<operator_slug>/labels/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.labels.views import editor, prints

app_name = "labels"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", editor.index, name="index"),
    path("layouts.css", editor.layouts_stylesheet, name="layouts-css"),
    path("edit/", editor.edit, name="edit"),
    path("edit/preview/", editor.preview, name="preview"),
    path("<int:label_id>/", editor.label_page, name="label"),
    path("<int:label_id>/versions/<int:number>/", editor.version_page, name="version"),
    path("lots/<int:batch_id>/", prints.lot_page, name="lot"),
    path("lots/<int:batch_id>/print/", prints.print_lot, name="print-lot"),
    path("prints/<int:print_id>/", prints.print_page, name="print"),
    path("prints/<int:print_id>/pdf/", prints.print_pdf, name="print-pdf"),
]
