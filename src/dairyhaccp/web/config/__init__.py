"""Project configuration: settings, URLs, WSGI entry point and the HTTP API."""
