"""Storage of operators (tenants), their members and API tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NoReturn, Self, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.choices import WRITING_ROLES, BusinessKind, InvitationState, Role
from dairyhaccp.web.operators.validators import validate_unit_number


class Operator(models.Model):
    """A food business operator (a dairy farm or processor): the tenant of every record."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in web addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lowercase letters, digits and hyphens, e.g. hoeve-voorbeeld."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    favv_number = models.CharField(
        _("FAVV unit number"),
        max_length=13,
        blank=True,
        validators=[validate_unit_number],
        help_text=_("The establishment unit number under which the FAVV registers the business."),
    )
    kind = models.CharField(
        _("kind of business"),
        max_length=20,
        choices=BusinessKind.choices,
        default=BusinessKind.PROCESSOR,
    )
    active_since = models.DateField(
        _("in business since"),
        null=True,
        blank=True,
        help_text=_("Records dated before this day are refused. Leave empty when unknown."),
    )
    responsible_person = models.CharField(
        _("person responsible for the self-check"),
        max_length=200,
        blank=True,
        help_text=_("Who answers for the HACCP plan; printed on its cover for the signature."),
    )
    plan_approved_on = models.DateField(
        _("date the plan was approved"),
        null=True,
        blank=True,
        help_text=_("The day the responsible person approved the plan in force."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role for one operator; a user without one sees nothing of that operator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # An auditor's access may be limited to a period; outside it every page and the API refuse.
    access_from = models.DateField(_("access from"), null=True, blank=True)
    access_until = models.DateField(_("access until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["operator__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "operator"], name="operators_membership_one_per_user_operator"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="operators_membership_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(access_from__isnull=True)
                | models.Q(access_until__isnull=True)
                | models.Q(access_from__lte=models.F("access_until")),
                name="operators_membership_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.operator} ({self.role})"

    @property
    def can_write(self) -> bool:
        """Whether this member may change the operator's data (auditors only read)."""
        return self.role in WRITING_ROLES

    @property
    def has_period(self) -> bool:
        """Whether this member's access is limited to a period."""
        return self.access_from is not None or self.access_until is not None

    def in_force_on(self, day: date) -> bool:
        """Whether the access holds on `day` (both ends of the period included)."""
        if self.access_from is not None and day < self.access_from:
            return False
        return self.access_until is None or day <= self.access_until


class ApiToken(models.Model):
    """A bearer token for the HTTP API, acting as one user for one operator; stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label or self.pk} ({self.user} @ {self.operator})"


class PendingSignUp(models.Model):
    """A business signed up but not yet verified: its owner's account and the business are made
    only when the link sent to the e-mail address is followed."""

    business_name = models.CharField(_("name of the business"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    favv_number = models.CharField(_("FAVV unit number"), max_length=13)
    kind = models.CharField(_("kind of business"), max_length=20, choices=BusinessKind.choices)
    active_since = models.DateField(_("in business since"), null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    username = models.CharField(_("username"), max_length=150)
    # The hash of the chosen password, moved to the account when it is made, then emptied.
    password_hash = models.CharField(_("password hash"), max_length=128, blank=True)
    language = models.CharField(_("language"), max_length=8)
    # Part of the signed link: a new sign-up for the same address makes the older link useless.
    nonce = models.CharField(_("link nonce"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.business_name} ({self.email})"


class TenantQuerySet(models.QuerySet[Any]):
    """Queries over a tenant's table; always narrow to one operator before showing rows."""

    def for_operator(self, operator: Operator) -> Self:
        """The rows that belong to `operator`."""
        return self.filter(operator=operator)

    def latest_versions(self) -> Self:
        return latest_versions(self)


_Rows = TypeVar("_Rows", bound=models.QuerySet[Any])


def latest_versions(queryset: _Rows) -> _Rows:
    """The rows no later version corrects, in a table whose versions name the one they correct
    (`corrects`, unique).

    Written as NOT EXISTS on the unique index of `corrects`: PostgreSQL estimates it well and,
    for a page in the order of an index, stops at the page's end. The LEFT JOIN ... IS NULL of
    `correction__isnull=True` is estimated at one row: PostgreSQL then joins and sorts every row
    of the operator, however few the page shows (see bench/bench_pages.py, EXPLAIN).
    """
    corrected = queryset.model._default_manager.filter(corrects=models.OuterRef("pk"))
    return queryset.filter(~models.Exists(corrected))


class TenantModel(models.Model):
    """Abstract base of every table that belongs to one operator."""

    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        # Food-safety records outlive a careless delete: remove them explicitly first.
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:  # noqa: N802 (Django's name)
        """`get_<field>_display()`: the label of the value in the active language, as Django
        gives it, with each field's labels worded once per language (Django words and hashes
        every label of the field on each call)."""
        key = (field, get_language())
        labels = _choice_labels.get(key)
        if labels is None:
            labels = _choice_labels[key] = {
                make_hashable(choice): force_str(label, strings_only=True)
                for choice, label in field.flatchoices
            }
        value = getattr(self, field.attname)
        return labels.get(make_hashable(value), value)


_choice_labels: dict[tuple[models.Field[Any, Any], str | None], dict[Any, Any]] = {}


class AppendOnlyError(Exception):
    """A record was about to be changed or deleted; records are evidence and kept as made."""


class AppendOnlyQuerySet(TenantQuerySet):
    """Rows that are only ever added: bulk updates and deletes are refused; rows added in bulk
    are chained like rows added one by one."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts"):
            raise AppendOnlyError("these records are never overwritten; store a new version")
        from dairyhaccp.web.evidence.chain import append_many, insert_chained

        with transaction.atomic(using=self.db):
            if not args and not set(kwargs) - {"batch_size"}:
                self._for_write = True
                return insert_chained(self.model, objs, self.db, super().bulk_create)
            created = super().bulk_create(objs, *args, **kwargs)
            if any(row.pk is None for row in created):
                raise AppendOnlyError("rows added in bulk must come back with their ids")
            append_many(created)
        return created

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("these records are never updated; store a new version")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("these records are never updated; store a new version")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("these records are never deleted")


class AppendOnlyModel(TenantModel):
    """Abstract base of a tenant's evidence: a row is created once, never saved again or deleted.

    A correction is a new row (a new version) written by a service, with who, when and why.
    """

    objects = AppendOnlyQuerySet.as_manager()  # type: ignore[misc]  # narrows the tenant manager

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} is never updated")
        from dairyhaccp.web.evidence.chain import append

        kwargs["force_insert"] = True
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            append(self)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.verbose_name} is never deleted")


class Invitation(TenantModel):
    """An owner's invitation to join the operator with a role, sent by e-mail; single use,
    valid until it expires or is revoked."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    access_from = models.DateField(_("access from"), null=True, blank=True)
    access_until = models.DateField(_("access until"), null=True, blank=True)
    language = models.CharField(_("language of the e-mail"), max_length=8)
    # Part of the signed link, so a link is bound to this invitation alone.
    nonce = models.CharField(_("link nonce"), max_length=32, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="operators_invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(access_from__isnull=True)
                | models.Q(access_until__isnull=True)
                | models.Q(access_from__lte=models.F("access_until")),
                name="operators_invitation_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} @ {self.operator} ({self.role})"

    def state(self, now: datetime) -> InvitationState:
        """Where the invitation stands at `now`."""
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if now >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING
