"""URL configuration.

Site-wide pages live at fixed prefixes; everything that belongs to one operator lives under
`/<operator_slug>/`, one `include` per bounded context in `context_urlpatterns`.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from dairyhaccp.web.config.api import api
from dairyhaccp.web.operators import views as operator_views
from dairyhaccp.web.operators.views.session import LogoutView
from dairyhaccp.web.operators.views.twofactor import LoginView
from dairyhaccp.web.records.views import offline as records_offline

# One line per bounded context; each is mounted under /<operator_slug>/ and its views resolve
# the operator with `operator_view` or `require_role`.
context_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("dairyhaccp.web.operators.urls")),
    path("plan/", include("dairyhaccp.web.plans.urls")),
    path("evidence/", include("dairyhaccp.web.evidence.urls")),
    path("records/", include("dairyhaccp.web.records.urls")),
    path("lab/", include("dairyhaccp.web.lab.urls")),
    path("lots/", include("dairyhaccp.web.lots.urls")),
    path("labels/", include("dairyhaccp.web.labels.urls")),
    path("farm/", include("dairyhaccp.web.farm.urls")),
    path("loggers/", include("dairyhaccp.web.loggers.urls")),
    path("dossier/", include("dairyhaccp.web.dossier.urls")),
    # The daily "today" page has a short address of its own.
    path("today/", RedirectView.as_view(pattern_name="records:today"), name="today"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", operator_views.home, name="home"),
    # The service worker of the offline forms: at the root, so that its scope is the site.
    path("sw.js", records_offline.service_worker, name="service-worker"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    # The admin logs in through the same page, with its second step where it is on.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # Sign-up, invitations, password reset and change.
    path("accounts/", include("dairyhaccp.web.operators.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # Last: the operator slug catches every other first path segment.
    path("<slug:operator_slug>/", include(context_urlpatterns)),
]
