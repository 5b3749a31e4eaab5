"""Storage of operators (tenants), their members and API tokens."""

from __future__ import annotations

from typing import Any, NoReturn, Self

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.choices import WRITING_ROLES, Role


class Operator(models.Model):
    """A food business operator (a dairy farm or processor): the tenant of every record."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in web addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lowercase letters, digits and hyphens, e.g. hoeve-voorbeeld."),
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
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.operator} ({self.role})"

    @property
    def can_write(self) -> bool:
        """Whether this member may change the operator's data (auditors only read)."""
        return self.role in WRITING_ROLES


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


class TenantQuerySet(models.QuerySet[Any]):
    """Queries over a tenant's table; always narrow to one operator before showing rows."""

    def for_operator(self, operator: Operator) -> Self:
        """The rows that belong to `operator`."""
        return self.filter(operator=operator)


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


class AppendOnlyError(Exception):
    """A record was about to be changed or deleted; records are evidence and kept as made."""


class AppendOnlyQuerySet(TenantQuerySet):
    """Rows that are only ever added: bulk updates and deletes are refused; rows added in bulk
    are chained like rows added one by one."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts"):
            raise AppendOnlyError("these records are never overwritten; store a new version")
        from dairyhaccp.web.evidence.chain import append

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            for row in created:
                if row.pk is None:
                    raise AppendOnlyError("rows added in bulk must come back with their ids")
                append(row)
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
