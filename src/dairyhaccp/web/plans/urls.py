"""URLs of the plans context, mounted under /<operator_slug>/plan/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.plans import views

app_name = "plans"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.plan_page, name="plan"),
    path("pdf/", views.plan_pdf, name="pdf"),
    path("pdf/progress/", views.pdf_progress, name="pdf-progress"),
    path("profile/", views.profile_wizard, name="profile"),
    path("profile/product/", views.product_row, name="product-row"),
    path("profile/product/removed/", views.product_removed, name="product-removed"),
    path("versions/", views.versions_page, name="versions"),
    path("versions/<int:number>/", views.version_page, name="version"),
    path("compare/", views.compare_page, name="compare"),
    path("adapt/", views.adapt_choose, name="adapt"),
    path("adapt/<slug:kind>/", views.adapt_page, name="adapt-kind"),
]
