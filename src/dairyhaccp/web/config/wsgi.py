"""WSGI entry point for gunicorn: `gunicorn dairyhaccp.web.config.wsgi`."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dairyhaccp.web.config.settings")

application = get_wsgi_application()

# What is loaded by now (settings, apps, URL patterns, the guide) lives as long as the process.
# Frozen, the garbage collector's full passes no longer walk it on whichever request triggers
# one, and under `--preload` the workers keep sharing its memory pages with the master.
gc.collect()
gc.freeze()
