"""URLs of the farm context, mounted under /<operator_slug>/farm/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from dairyhaccp.web.farm.views import (
    assessment,
    audits,
    daily,
    hygiene,
    milk,
    profile,
    sector,
    sustainability,
    treatments,
)

app_name = "farm"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", daily.index, name="index"),
    path("today/", daily.today, name="today"),
    path("profile/", profile.profile, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile-edit"),
    path("treatments/", treatments.treatment_list, name="treatments"),
    path("treatments/new/", treatments.treatment_new, name="treatment-new"),
    path("treatments/export.csv", treatments.treatments_export, name="treatments-csv"),
    path("treatments/<int:treatment_id>/", treatments.treatment_detail, name="treatment"),
    path(
        "treatments/<int:treatment_id>/correct/",
        treatments.treatment_correct,
        name="treatment-correct",
    ),
    path(
        "treatments/<int:treatment_id>/withdraw/",
        treatments.treatment_withdraw,
        name="treatment-withdraw",
    ),
    path("treatment-days/", treatments.treatment_days, name="treatment-days"),
    path("self-assessment/", assessment.assessment, name="assessment"),
    path("self-assessment/<slug:criterion_id>/", assessment.answer, name="answer"),
    path("files/<int:file_id>/", assessment.evidence_file, name="evidence-file"),
    path("audits/", audits.audit_list, name="audits"),
    path("audits/new/", audits.audit_new, name="audit-new"),
    path("audits/<int:audit_id>/", audits.audit_detail, name="audit"),
    path("hygiene/", hygiene.hygiene, name="hygiene"),
    path("milkings/<int:batch_id>/kept-apart/", milk.kept_apart, name="kept-apart"),
    path("findings/<int:finding_id>/close/", audits.finding_close, name="finding-close"),
    path("sustainability/", sustainability.sustainability, name="sustainability"),
    path(
        "sustainability/<int:year>/",
        sustainability.sustainability_year,
        name="sustainability-year",
    ),
    path("notifications/", sustainability.notification_list, name="notifications"),
    path("notifications/new/", sustainability.notification_new, name="notification-new"),
    path(
        "notifications/<int:notification_id>/",
        sustainability.notification_detail,
        name="notification",
    ),
    path(
        "notifications/<int:notification_id>/follow-up/",
        sustainability.notification_follow_up,
        name="notification-follow-up",
    ),
    path("body/", sector.body_farms, name="body-farms"),
    path("sector/", sector.sector, name="sector"),
    path("sector/export.csv", sector.sector_export, name="sector-csv"),
    path("sector/refresh/", sector.sector_refresh, name="sector-refresh"),
]
