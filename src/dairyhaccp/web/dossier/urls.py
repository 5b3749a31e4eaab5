"""URLs of the dossier context, mounted under /<operator_slug>/dossier/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.dossier import views

app_name = "dossier"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<int:job_id>/", views.job_page, name="job"),
    path("<int:job_id>/progress/", views.job_progress, name="progress"),
    path("<int:job_id>/dossier.pdf", views.job_pdf, name="pdf"),
    path("<int:job_id>/dossier.zip", views.job_zip, name="zip"),
]
