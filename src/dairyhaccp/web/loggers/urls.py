"""URLs of the loggers context, mounted under /<operator_slug>/loggers/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.loggers.views import days, devices, files, traces

app_name = "loggers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", devices.index, name="index"),
    path("new/", devices.device_new, name="device-new"),
    path("import/", files.upload, name="upload"),
    path("import/<int:file_id>/", files.preview, name="preview"),
    path("<int:device_id>/", devices.device_detail, name="device"),
    path("<int:device_id>/edit/", devices.device_edit, name="device-edit"),
    path("<int:device_id>/token/", devices.device_token, name="device-token"),
    path("<int:device_id>/days/<str:day>/", days.day_detail, name="day"),
    path("batches/<int:batch_id>/traces/", traces.batch_traces, name="batch-traces"),
    path("batches/<int:batch_id>/traces/import/", traces.trace_upload, name="trace-upload"),
    path("traces/import/<int:file_id>/", traces.trace_preview, name="trace-preview"),
    path("traces/<int:trace_id>/", traces.trace_detail, name="trace"),
]
