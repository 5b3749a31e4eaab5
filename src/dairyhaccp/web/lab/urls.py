"""URLs of the lab context, mounted under /<operator_slug>/lab/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.lab.views import overview, products, raw_milk

app_name = "lab"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", overview.index, name="index"),
    path("calendar/", overview.calendar, name="calendar"),
    path("oc-curve/", overview.oc_curve, name="oc_curve"),
    path("raw-milk/new/", raw_milk.new_result, name="raw_milk_new"),
    path("raw-milk/import/", raw_milk.import_csv, name="raw_milk_import"),
    path("raw-milk/withdrawal/", raw_milk.new_withdrawal, name="withdrawal_new"),
    path("raw-milk/results/", raw_milk.results, name="raw_milk_results"),
    path("raw-milk/results/<uuid:entry>/", raw_milk.result, name="raw_milk_result"),
    path("raw-milk/results/<uuid:entry>/correct/", raw_milk.correct, name="raw_milk_correct"),
    path("raw-milk/results/<uuid:entry>/withdraw/", raw_milk.withdraw, name="raw_milk_withdraw"),
    path(
        "raw-milk/<slug:species>/<slug:source>/<slug:parameter>/",
        raw_milk.verdict,
        name="raw_milk_verdict",
    ),
    path("products/", products.results, name="product_results"),
    path("products/new/", products.new_result, name="product_new"),
    path("products/<uuid:entry>/", products.verdict, name="product_verdict"),
    path("products/<uuid:entry>/correct/", products.correct, name="product_correct"),
    path("products/<uuid:entry>/withdraw/", products.withdraw, name="product_withdraw"),
]
