"""The antibiotics register: treatments, their versions, the CSV export and treatment days."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.ikm.treatment_days import PeriodKind
from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.choices import WithdrawalUnit
from dairyhaccp.web.farm.constants import EARLIEST_DAY, FARM_ROLES, TREATMENT_WRITERS
from dairyhaccp.web.farm.csv_export import treatments_csv
from dairyhaccp.web.farm.forms import (
    TreatmentCorrectionForm,
    TreatmentForm,
    WithdrawForm,
    add_error,
)
from dairyhaccp.web.farm.models import Treatment
from dairyhaccp.web.farm.services import (
    FarmInputError,
    TreatmentInput,
    correct_treatment,
    record_treatment,
    withdraw_treatment,
)
from dairyhaccp.web.farm.views.common import may, text
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404
from dairyhaccp.web.records.constants import LIST_PAGE
from dairyhaccp.web.records.selectors import page_of
from dairyhaccp.web.records.views.paging import page_number

PERIOD_KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year")


def _input(form: TreatmentForm) -> TreatmentInput:
    data = form.cleaned_data
    return TreatmentInput(
        animal=data["animal"],
        is_group=data["is_group"],
        animals=data["animals"],
        first_dose_on=data["first_dose_on"],
        last_dose_at=data["last_dose_at"],
        indication=data["indication"],
        product=data["product"],
        active_substance=data["active_substance"],
        dose=data["dose"],
        route=data["route"],
        prescribing_vet=data["prescribing_vet"],
        withdrawal_milk_hours=form.milk_hours(),
        withdrawal_meat_days=data["withdrawal_meat"],
        remark=data["remark"],
    )


@farm_view(FARM_ROLES)
def treatment_list(request: OperatorRequest) -> HttpResponse:
    """The register: the latest version of every treatment, newest first, a page at a time."""
    profile = selectors.current_profile(request.operator)
    page = page_of(selectors.current_treatments(request.operator), page_number(request), LIST_PAGE)
    rows = [
        (treatment, selectors.first_usable_milking(treatment, profile)) for treatment in page.rows
    ]
    return render(
        request,
        "farm/treatments.html",
        {
            "operator": request.operator,
            "rows": rows,
            "page": page,
            "now": timezone.now(),
            "may_treat": may(request, TREATMENT_WRITERS),
        },
    )


@farm_view(FARM_ROLES)
def treatments_export(request: OperatorRequest) -> HttpResponse:
    """The register as CSV, for the vet or the antibiotics register."""
    profile = selectors.current_profile(request.operator)
    treatments = selectors.current_treatments(request.operator).order_by("last_dose_at", "pk")
    response = HttpResponse(
        treatments_csv(treatments, profile), content_type="text/csv; charset=utf-8"
    )
    filename = f"antibiotics-register-{request.operator.slug}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@farm_view(TREATMENT_WRITERS)
def treatment_new(request: OperatorRequest) -> HttpResponseBase:
    """Enter a treatment; the milk is withheld at once until the right milking."""
    form = TreatmentForm(
        request.POST or None,
        initial={"last_dose_at": _now_local(), "withdrawal_milk_unit": WithdrawalUnit.HOURS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            treatment = record_treatment(
                request.operator, request.user, request.membership.role, _input(form)
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Treatment recorded."))
            return redirect(
                "farm:treatment", operator_slug=request.operator.slug, treatment_id=treatment.pk
            )
    return render(
        request,
        "farm/treatment_form.html",
        {"operator": request.operator, "form": form, "title": _("Record a treatment")},
    )


@farm_view(FARM_ROLES)
def treatment_detail(request: OperatorRequest, treatment_id: int) -> HttpResponse:
    """A treatment with every version, who made it and why."""
    treatment = get_for_operator_or_404(
        Treatment.objects.select_related("recorded_by"), request.operator, pk=treatment_id
    )
    versions = list(selectors.treatment_versions(treatment))
    latest = versions[-1]
    profile = selectors.current_profile(request.operator)
    return render(
        request,
        "farm/treatment.html",
        {
            "operator": request.operator,
            "treatment": treatment,
            "latest": latest,
            "is_latest": latest.pk == treatment.pk,
            "versions": list(reversed(versions)),
            "first_milking": selectors.first_usable_milking(treatment, profile),
            "may_treat": may(request, TREATMENT_WRITERS),
        },
    )


def _latest_or_redirect(request: OperatorRequest, treatment: Treatment) -> HttpResponseBase | None:
    latest = selectors.treatment_versions(treatment).last()
    if latest is not None and latest.pk != treatment.pk:
        messages.info(request, _("This is the latest version of the treatment."))
        return redirect(
            "farm:treatment", operator_slug=request.operator.slug, treatment_id=latest.pk
        )
    return None


def _form_initial(treatment: Treatment) -> dict[str, Any]:
    local = timezone.localtime(treatment.last_dose_at)
    return {
        "animal": treatment.animal,
        "is_group": treatment.is_group,
        "animals": treatment.animals,
        "first_dose_on": treatment.first_dose_on,
        "last_dose_at": local.strftime("%Y-%m-%dT%H:%M"),
        "indication": treatment.indication,
        "product": treatment.product,
        "active_substance": treatment.active_substance,
        "dose": treatment.dose,
        "route": treatment.route,
        "prescribing_vet": treatment.prescribing_vet,
        "withdrawal_milk": treatment.withdrawal_milk_hours.normalize(),
        "withdrawal_milk_unit": WithdrawalUnit.HOURS,
        "withdrawal_meat": treatment.withdrawal_meat_days,
        "remark": treatment.remark,
    }


@farm_view(TREATMENT_WRITERS)
def treatment_correct(request: OperatorRequest, treatment_id: int) -> HttpResponseBase:
    """Correct a treatment: a new version with the reason."""
    treatment = get_for_operator_or_404(Treatment.objects.all(), request.operator, pk=treatment_id)
    if (moved := _latest_or_redirect(request, treatment)) is not None:
        return moved
    form = TreatmentCorrectionForm(request.POST or None, initial=_form_initial(treatment))
    if request.method == "POST" and form.is_valid():
        try:
            corrected = correct_treatment(
                treatment,
                request.user,
                request.membership.role,
                _input(form),
                form.cleaned_data["reason"],
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Treatment corrected."))
            return redirect(
                "farm:treatment", operator_slug=request.operator.slug, treatment_id=corrected.pk
            )
    return render(
        request,
        "farm/treatment_form.html",
        {"operator": request.operator, "form": form, "title": _("Correct a treatment")},
    )


@farm_view(TREATMENT_WRITERS)
def treatment_withdraw(request: OperatorRequest, treatment_id: int) -> HttpResponseBase:
    """Withdraw a treatment entered in error: a last version, kept with the reason."""
    treatment = get_for_operator_or_404(Treatment.objects.all(), request.operator, pk=treatment_id)
    if (moved := _latest_or_redirect(request, treatment)) is not None:
        return moved
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = withdraw_treatment(
                treatment, request.user, request.membership.role, form.cleaned_data["reason"]
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Treatment withdrawn."))
            return redirect(
                "farm:treatment", operator_slug=request.operator.slug, treatment_id=withdrawn.pk
            )
    return render(
        request,
        "farm/treatment_withdraw.html",
        {"operator": request.operator, "form": form, "treatment": treatment},
    )


def _year(request: OperatorRequest, today: date) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and EARLIEST_DAY.year <= int(raw) <= today.year:
        return int(raw)
    return today.year


@farm_view(FARM_ROLES)
def treatment_days(request: OperatorRequest) -> HttpResponse:
    """Treatment days per 100 days by month, quarter and year, against the sector's limits."""
    today = timezone.localdate()
    year = _year(request, today)
    kind = request.GET.get("per", "month")
    kind = kind if kind in PERIOD_KINDS else "month"
    limits = selectors.benchmark_for(year)
    figures = selectors.treatment_days(request.operator, year, kind, limits)
    yearly = selectors.treatment_days(request.operator, year, "year", limits)
    book = selectors.lastenboek().treatment_days
    method = next(m for m in book.methods if m.id == "register_count")
    return render(
        request,
        "farm/treatment_days.html",
        {
            "operator": request.operator,
            "year": year,
            "years": list(range(today.year, max(EARLIEST_DAY.year, today.year - 9) - 1, -1)),
            "kind": kind,
            "kinds": [
                ("month", _("per month")),
                ("quarter", _("per quarter")),
                ("year", _("per year")),
            ],
            "figures": figures,
            "yearly": yearly[0] if yearly else None,
            "limits": limits,
            "unit": text(book.unit),
            "method": text(method.text),
            "method_sources": method.sources,
            "benchmark": text(book.benchmark.text),
            "boundaries": text(book.benchmark.boundaries),
            "benchmark_sources": book.benchmark.sources,
            "note": text(book.note),
        },
    )
