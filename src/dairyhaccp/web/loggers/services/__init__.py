"""Writes of the loggers context; each service owns its transaction."""

from __future__ import annotations

from dairyhaccp.web.loggers.services.days import close_days, judge_and_register
from dairyhaccp.web.loggers.services.devices import (
    DeviceSettings,
    IssuedDeviceToken,
    authenticate_device_token,
    create_device,
    issue_device_token,
    revoke_device_token,
    update_device,
)
from dairyhaccp.web.loggers.services.errors import LoggerError
from dairyhaccp.web.loggers.services.files import (
    FilePreview,
    FileRefusedError,
    ReadSettings,
    StoredFile,
    preview_file,
    store_file,
    upload_file,
)
from dairyhaccp.web.loggers.services.push import Pushed, push_readings

__all__ = [
    "DeviceSettings",
    "FilePreview",
    "FileRefusedError",
    "IssuedDeviceToken",
    "LoggerError",
    "Pushed",
    "ReadSettings",
    "StoredFile",
    "authenticate_device_token",
    "close_days",
    "create_device",
    "issue_device_token",
    "judge_and_register",
    "preview_file",
    "push_readings",
    "revoke_device_token",
    "store_file",
    "update_device",
    "upload_file",
]
