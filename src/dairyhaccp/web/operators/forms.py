"""Forms of the operators context: login, the business, sign-up, invitations and people."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin, UsernameField
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.bounds import moment_problem
from dairyhaccp.web.operators.choices import INVITABLE_ROLES, BusinessKind, Role
from dairyhaccp.web.operators.services import BusinessDetails
from dairyhaccp.web.operators.services.signup import (
    AccountDetails,
    email_in_use,
    email_taken,
    username_in_use,
    username_taken,
)
from dairyhaccp.web.operators.unit_number import format_unit_number
from dairyhaccp.web.operators.validators import validate_unit_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LoginForm(AuthenticationForm):
    """The login form, with our own wording for a failed login."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Check both and try again; capitals count."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none"})


class LoginCodeForm(forms.Form):
    """A code of the authenticator app (two-factor login)."""

    code = forms.CharField(
        label=_("Code of your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _favv_number_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("FAVV unit number"),
        max_length=20,
        required=required,
        validators=[validate_unit_number],
        help_text=_(
            "The establishment unit number (vestigingseenheid) under which the FAVV registers "
            "your business: 10 digits, starting with 2 to 8."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class BusinessForm(forms.Form):
    """Who the business is: name, address, FAVV unit number and what it does."""

    name = forms.CharField(label=_("Name of the business"), max_length=200)
    address = forms.CharField(
        label=_("Address of the business"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    favv_number = _favv_number_field(required=True)
    kind = forms.ChoiceField(
        label=_("What the business is"),
        choices=BusinessKind.choices,
        widget=forms.RadioSelect,
    )
    active_since = forms.DateField(
        label=_("In business since"),
        required=False,
        help_text=_(
            "Records dated before this day are refused. Leave empty when unknown; paper records "
            "of earlier years can be entered when it is empty or earlier."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the name of the business."), code="required")
        return name

    def clean_favv_number(self) -> str:
        number: str = self.cleaned_data["favv_number"].strip()
        return format_unit_number(number) if number else ""

    def clean_active_since(self) -> date | None:
        day: date | None = self.cleaned_data.get("active_since")
        if day is None:
            return None
        problem = moment_problem(day)
        if problem:
            raise forms.ValidationError(capfirst(problem) + ".", code="active_since")
        return day

    def business(self) -> BusinessDetails:
        """The cleaned details of the business."""
        data = self.cleaned_data
        return BusinessDetails(
            name=data["name"],
            address=data["address"].strip(),
            favv_number=data["favv_number"],
            kind=BusinessKind(data["kind"]),
            active_since=data.get("active_since"),
        )


class OperatorSettingsForm(BusinessForm):
    """The operator's details an owner may change; address and number may still be empty."""

    def __init__(self, *args: Any, operator_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operator_kind = operator_kind
        self.fields["address"].required = False
        self.fields["favv_number"].required = False
        # Left out, the kind stays as it is.
        self.fields["kind"].required = False

    responsible_person = forms.CharField(
        label=_("Person responsible for the self-check"),
        max_length=200,
        required=False,
        help_text=_("Who answers for the HACCP plan; printed on its cover for the signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    plan_approved_on = forms.DateField(
        label=_("Date the plan was approved"),
        required=False,
        help_text=_(
            "The day the responsible person approved the plan in force. Left empty, the cover "
            "of the plan has a line to write it."
        ),
        widget=DateInput,
    )

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data.get("kind") or self.operator_kind
        return kind

    def clean_plan_approved_on(self) -> date | None:
        approved_on: date | None = self.cleaned_data.get("plan_approved_on")
        if approved_on is not None and approved_on > timezone.localdate():
            raise forms.ValidationError(
                _("The date of approval cannot lie in the future."), code="future"
            )
        return approved_on


class PasswordFieldsMixin(SetPasswordMixin):
    """A new password typed twice (fields password1 and password2, declared in each form),
    checked by the site's password rules."""

    def check_passwords(self, user: User) -> None:
        """Add errors for two different passwords or one the rules refuse for `user`."""
        self.validate_passwords()
        self.validate_password_for_user(user)


def _username_field() -> UsernameField:
    return UsernameField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("What you log in with: letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "username"}),
    )


class SignUpForm(PasswordFieldsMixin, BusinessForm):
    """A new business with its owner's account."""

    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Your last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to it; the account works once you have followed it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = _username_field()
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email_in_use(email):
            raise forms.ValidationError(email_taken(), code="taken")
        return email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if username_in_use(username):
            raise forms.ValidationError(username_taken(), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_passwords(
            User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
        )
        return cleaned

    def account(self) -> AccountDetails:
        """The cleaned details of the owner's account."""
        data = self.cleaned_data
        return AccountDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            username=data["username"],
        )


class NewAccountForm(PasswordFieldsMixin, forms.Form):
    """An account for an invited person; the e-mail address is the one invited."""

    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Your last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    username = _username_field()
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if username_in_use(username):
            raise forms.ValidationError(username_taken(), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_passwords(
            User(
                username=cleaned.get("username", ""),
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
        )
        return cleaned


class AccessPeriodForm(forms.Form):
    """An auditor's period: both ends included, either may stay open."""

    access_from = forms.DateField(label=_("Access from"), required=False, widget=DateInput)
    access_until = forms.DateField(label=_("Access until"), required=False, widget=DateInput)

    def period(self) -> tuple[date | None, date | None]:
        """The chosen first and last day, None where open."""
        return self.cleaned_data.get("access_from"), self.cleaned_data.get("access_until")


def _role_choices() -> list[tuple[str, StrOrPromise]]:
    return [(role.value, role.label) for role in INVITABLE_ROLES]


class InviteForm(AccessPeriodForm):
    """Who to invite, with which role, and in which language the e-mail is written."""

    field_order = ["email", "role", "access_from", "access_until", "language"]

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["access_from"].help_text = _(
            "Only for an auditor: outside these dates the auditor sees nothing. Leave both "
            "empty for access without end."
        )
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]

    def chosen_role(self) -> Role:
        """The chosen role."""
        return Role(self.cleaned_data["role"])
