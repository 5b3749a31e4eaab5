"""URLs of the records context, mounted under /<operator_slug>/records/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.records.views import day, deviations, imports, registrations, setup, today

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", today.today, name="index"),
    path("today/", today.today, name="today"),
    path("today/start/", day.start, name="start-production"),
    path("today/confirm/", day.confirm, name="confirm-day"),
    path("lot-codes/", day.lot_codes, name="lot-codes"),
    path("checks/", registrations.checks, name="checks"),
    path("register/<slug:control>/", registrations.register, name="register"),
    path("hold-time/", registrations.hold_time, name="hold-time"),
    path("tasks/<slug:task_id>/", registrations.task, name="task"),
    path(
        "registrations/<int:registration_id>/",
        registrations.registration_detail,
        name="registration",
    ),
    path("registrations/<int:registration_id>/correct/", registrations.correct, name="correct"),
    path("history/<slug:control>/", registrations.history, name="history"),
    path("import/", imports.import_registrations, name="import"),
    path("deviations/", deviations.deviation_list, name="deviations"),
    path("deviations/<int:deviation_id>/", deviations.deviation_detail, name="deviation"),
    path(
        "deviations/<int:deviation_id>/handle/",
        deviations.handle_deviation,
        name="handle-deviation",
    ),
    path("rooms/", setup.room_list, name="rooms"),
    path("rooms/new/", setup.room_new, name="room-new"),
    path("rooms/<int:room_id>/", setup.room_edit, name="room-edit"),
    path("batches/", setup.batch_list, name="batches"),
    path("batches/new/", setup.batch_new, name="batch-new"),
    path("batches/<int:batch_id>/", setup.batch_detail, name="batch"),
]
