"""Storage of loggers: devices in rooms, uploaded files, one row per device and day, judgements.

Readings are stored per device and local day, the day's series in one compact blob (see
codec.py): a year of a logger is 365 rows, whatever its interval. A day's row is never changed:
new readings for a day (a second file, pushed readings) make a new version holding every
reading of the day. Pushed readings wait in PushedReadings until their day is over, then are
folded into a new version, so a logger that sends every few minutes does not make a version
each time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.loggers.choices import DayVerdict, SeriesSource
from dairyhaccp.web.loggers.codec import decode_series
from dairyhaccp.web.loggers.constants import DEFAULT_MAX_INTERVAL_MIN, MAX_INTERVAL_MIN
from dairyhaccp.web.operators.models import AppendOnlyModel, TenantModel
from dairyhaccp.web.records.models import Batch, Registration, Room


class Device(TenantModel):
    """A temperature logger in a room: its files are imported, or it sends its readings."""

    name = models.CharField(_("name"), max_length=100)
    room = models.ForeignKey(
        Room, verbose_name=_("room or equipment"), on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    max_interval_min = models.PositiveIntegerField(
        _("longest time between readings (minutes)"),
        default=DEFAULT_MAX_INTERVAL_MIN,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_MIN)],
        help_text=_("Readings further apart leave a gap: that time is not vouched for."),
    )
    token_hash = models.CharField(
        _("push token hash (SHA-256)"), max_length=64, unique=True, null=True, blank=True
    )
    token_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pushes on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    token_issued_at = models.DateTimeField(_("push token issued at"), null=True, blank=True)
    last_push_at = models.DateTimeField(_("last readings sent at"), null=True, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("logger")
        verbose_name_plural = _("loggers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="loggers_device_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class LoggerFile(AppendOnlyModel):
    """An uploaded logger export, kept as uploaded (compressed) with who and when."""

    device = models.ForeignKey(
        Device, verbose_name=_("logger"), on_delete=models.PROTECT, related_name="files"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content (zlib)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("logger file")
        verbose_name_plural = _("logger files")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def evidence_date(self) -> Any:
        return self.uploaded_at


class DaySeries(AppendOnlyModel):
    """One version of one device's readings of one local day; a new version holds them all."""

    device = models.ForeignKey(
        Device, verbose_name=_("logger"), on_delete=models.PROTECT, related_name="days"
    )
    day = models.DateField(_("day"))
    version = models.PositiveIntegerField(_("version"), default=1)
    data = models.BinaryField(_("readings"))
    readings = models.PositiveIntegerField(_("number of readings"))
    first_at = models.DateTimeField(_("first reading"))
    last_at = models.DateTimeField(_("last reading"))
    has_humidity = models.BooleanField(_("with humidity"), default=False)
    source = models.CharField(_("new readings from"), max_length=10, choices=SeriesSource.choices)
    file = models.ForeignKey(
        LoggerFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="days",
    )
    # Pushed readings up to this PushedReadings id are in this version.
    pushed_through = models.BigIntegerField(_("pushed readings included up to"), default=0)
    added = models.PositiveIntegerField(_("readings added by this version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("day of readings")
        verbose_name_plural = _("days of readings")
        ordering = ["-day", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "day", "version"], name="loggers_dayseries_one_row_per_version"
            ),
        ]
        indexes = [models.Index(fields=["operator", "device", "day"], name="loggers_day_idx")]

    def __str__(self) -> str:
        return f"{self.device} {self.day:%Y-%m-%d} v{self.version}"

    def evidence_date(self) -> Any:
        """The day the readings are of (what their keeping period counts from)."""
        return self.day

    def arrays(self) -> tuple[Any, Any, Any]:
        """The day's times (UTC seconds), temperatures and humidity (or None)."""
        return decode_series(bytes(self.data))


class PushedReadings(AppendOnlyModel):
    """Readings one request sent for one local day, waiting for the day to be over."""

    device = models.ForeignKey(
        Device, verbose_name=_("logger"), on_delete=models.PROTECT, related_name="pushes"
    )
    day = models.DateField(_("day"))
    data = models.BinaryField(_("readings"))
    readings = models.PositiveIntegerField(_("number of readings"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("readings sent")
        verbose_name_plural = _("readings sent")
        ordering = ["pk"]
        indexes = [models.Index(fields=["device", "day"], name="loggers_push_day_idx")]

    def __str__(self) -> str:
        return f"{self.device} {self.day:%Y-%m-%d} #{self.pk}"

    def evidence_date(self) -> Any:
        """The day the readings are of (what their keeping period counts from)."""
        return self.day

    def arrays(self) -> tuple[Any, Any, Any]:
        """The readings sent: times (UTC seconds), temperatures and humidity (or None)."""
        return decode_series(bytes(self.data))


class DayJudgement(AppendOnlyModel):
    """A day's series judged against the room's storage limits, and the registration it made.

    The excursions (start, end, peak, duration, verdict) and gaps are kept here as judged;
    the registration carries the day's peak and longest excursion to the one judge."""

    series = models.ForeignKey(
        DaySeries, verbose_name=_("day of readings"), on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(
        Device, verbose_name=_("logger"), on_delete=models.PROTECT, related_name="judgements"
    )
    day = models.DateField(_("day"))
    control_id = models.CharField(_("control"), max_length=20)
    verdict = models.CharField(_("verdict"), max_length=12, choices=DayVerdict.choices)
    readings = models.PositiveIntegerField(_("readings in the day"))
    maximum_c = models.FloatField(_("maximum (°C)"))
    ceiling_c = models.FloatField(_("highest short fluctuation (°C)"))
    allowed_min = models.FloatField(_("longest short fluctuation (minutes)"))
    max_interval_min = models.FloatField(_("longest time between readings (minutes)"))
    peak_c = models.FloatField(_("peak (°C)"), null=True, blank=True)
    peak_at = models.DateTimeField(_("peak at"), null=True, blank=True)
    longest_excursion_min = models.FloatField(_("longest excursion (minutes)"), default=0)
    excursions = models.JSONField(_("excursions"), default=list)
    gaps = models.JSONField(_("gaps"), default=list)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    problem = models.TextField(_("why it was not registered"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("judged for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField(_("judged at"), default=timezone.now)

    class Meta:
        verbose_name = _("judged day")
        verbose_name_plural = _("judged days")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["operator", "device", "day"], name="loggers_judged_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=DayVerdict.values),
                name="loggers_judgement_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.day:%Y-%m-%d} {self.verdict}"

    def evidence_date(self) -> Any:
        """The day the readings are of (what their keeping period counts from)."""
        return self.day


class TraceFile(AppendOnlyModel):
    """A pasteuriser recorder's export for one batch, kept as uploaded (compressed)."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content (zlib)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("pasteuriser file")
        verbose_name_plural = _("pasteuriser files")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def evidence_date(self) -> Any:
        return self.uploaded_at


class PasteurisationTrace(AppendOnlyModel):
    """A pasteuriser trace of a batch, judged by its lethality, and the registration it made.

    The readings are kept in one compact blob (as a logger's day). The trace's own figures
    (lethality as equivalent seconds at the reference temperature, the hold's lowest temperature
    and its time below the reference) are kept beside the registration the one judge made."""

    file = models.ForeignKey(
        TraceFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="traces"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.BinaryField(_("readings"))
    readings = models.PositiveIntegerField(_("number of readings"))
    first_at = models.DateTimeField(_("first reading"))
    last_at = models.DateTimeField(_("last reading"))
    control_id = models.CharField(_("control"), max_length=20)
    medium = models.CharField(_("pasteurised medium"), max_length=10)
    outcome = models.CharField(_("outcome of the lethality"), max_length=40)
    reference_c = models.FloatField(_("reference temperature (°C)"))
    required_s = models.FloatField(_("reference hold (s)"))
    z_value = models.FloatField(_("z-value (°C)"))
    equivalent_s = models.FloatField(_("lethality (equivalent seconds at the reference)"))
    peak_c = models.FloatField(_("peak (°C)"))
    hold_s = models.FloatField(_("hold at or above the reference (s)"), default=0)
    hold_minimum_c = models.FloatField(_("lowest temperature in the hold (°C)"), null=True)
    seconds_below = models.FloatField(_("time below the reference in the hold (s)"), null=True)
    max_interval_s = models.FloatField(_("longest time between readings (s)"))
    gaps = models.JSONField(_("gaps"), default=list)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    problem = models.TextField(_("why it was not registered"), blank=True)
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stored_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("pasteuriser trace")
        verbose_name_plural = _("pasteuriser traces")
        ordering = ["-first_at", "-pk"]
        indexes = [models.Index(fields=["operator", "batch"], name="loggers_trace_batch_idx")]

    def __str__(self) -> str:
        return f"{self.batch} {self.first_at:%Y-%m-%d %H:%M}"

    def evidence_date(self) -> Any:
        return self.first_at

    def arrays(self) -> tuple[Any, Any, Any]:
        """The trace's times (UTC seconds) and temperatures."""
        return decode_series(bytes(self.data))
