"""URLs of the lots context, mounted under /<operator_slug>/lots/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.lots.views import batch_milk, lots, movements, parties, recalls, trace

app_name = "lots"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", lots.index, name="index"),
    path("receive/", lots.receive, name="receive"),
    path("milk/", lots.milk, name="milk"),
    path("produce/", lots.produce, name="produce"),
    path("deliver/", movements.movement_new, {"kind": "deliver"}, name="deliver"),
    path("sell/", movements.movement_new, {"kind": "sell"}, name="sell"),
    path("destroy/", movements.movement_new, {"kind": "destroy"}, name="destroy"),
    path("count/", movements.movement_new, {"kind": "count"}, name="count"),
    path("movements/<int:movement_id>/", movements.movement_correct, name="movement"),
    path("lot/<slug:key>/", lots.lot_detail, name="lot"),
    path("lot/<slug:key>/correct/", lots.correct_lot, name="correct-lot"),
    path("lot/<slug:key>/split/", lots.split, name="split"),
    path("lot/<slug:key>/milk/", batch_milk.link, name="link-milk"),
    path("lot/<slug:key>/mock-recall/", trace.mock_recall, name="mock-recall"),
    path("lot/<slug:key>/trace/<slug:direction>/", trace.trace, name="trace"),
    path("lot/<slug:key>/trace/<slug:direction>/csv/", trace.trace_csv_file, name="trace-csv"),
    path("lot/<slug:key>/trace/<slug:direction>/pdf/", trace.trace_pdf, name="trace-pdf"),
    path("mock-recalls/", trace.mock_recall_list, name="mock-recalls"),
    path("suppliers/", parties.supplier_list, name="suppliers"),
    path("suppliers/new/", parties.supplier_new, name="supplier-new"),
    path("suppliers/<int:supplier_id>/", parties.supplier_edit, name="supplier"),
    path("customers/", parties.customer_list, name="customers"),
    path("customers/new/", parties.customer_new, name="customer-new"),
    path("customers/<int:customer_id>/", parties.customer_edit, name="customer"),
    path("recalls/", recalls.recall_list, name="recalls"),
    path("recalls/new/", recalls.recall_new, name="recall-new"),
    path("recalls/<int:recall_id>/", recalls.recall_detail, name="recall"),
    path(
        "recalls/<int:recall_id>/disposition/",
        recalls.recall_disposition,
        name="recall-disposition",
    ),
    path(
        "recalls/<int:recall_id>/dispositions/<int:disposition_id>/",
        recalls.disposition_correct,
        name="disposition-correct",
    ),
    path("recalls/<int:recall_id>/step/", recalls.recall_step, name="recall-step"),
    path("recalls/<int:recall_id>/close/", recalls.recall_close, name="recall-close"),
    path("recalls/<int:recall_id>/notice/", recalls.recall_notice, name="recall-notice"),
]
