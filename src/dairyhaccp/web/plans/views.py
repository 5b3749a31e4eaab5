"""Views of the plans context: the wizard, the plan, its PDF, versions and adaptations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.plan import diff_plans
from dairyhaccp.profile import ProfileError
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    require_role,
)
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.plans.choices import AdaptationKind, PdfStatus
from dairyhaccp.web.plans.constants import PLAN_EDITORS, PLAN_READERS
from dairyhaccp.web.plans.forms import (
    ADAPTATION_FORMS,
    PRODUCTS_PREFIX,
    AddStepForm,
    CompareForm,
    ProductForm,
    ProfileWizard,
)
from dairyhaccp.web.plans.models import PlanPdf, PlanVersion
from dairyhaccp.web.plans.pdf_jobs import STEPS, pdf_bytes, pdf_job
from dairyhaccp.web.plans.presentation import changes_context, plan_page_context
from dairyhaccp.web.plans.selectors import current_plan_version, plan_of_version, plan_versions
from dairyhaccp.web.plans.services import adapt_plan, save_profile


def _to_plan(request: OperatorRequest) -> HttpResponseBase:
    return redirect("plans:plan", operator_slug=request.operator.slug)


def _may_edit(request: OperatorRequest) -> dict[str, bool]:
    """Whether the page offers the wizard and the adaptations (only their editors may use them)."""
    return {"may_edit_plan": request.membership.role in PLAN_EDITORS}


@require_role(*PLAN_READERS)
def plan_page(request: OperatorRequest) -> HttpResponse:
    """The operator's current plan: diagrams, a card per CCP and PVA, analyses, duties."""
    version = current_plan_version(request.operator)
    if version is None:
        return render(
            request, "plans/no_plan.html", {"operator": request.operator, **_may_edit(request)}
        )
    context = {
        "operator": request.operator,
        "version": version,
        "is_current": True,
        **_may_edit(request),
    }
    context.update(plan_page_context(plan_of_version(version)))
    return render(request, "plans/plan.html", context)


@require_role(*PLAN_READERS)
def version_page(request: OperatorRequest, number: int) -> HttpResponse:
    """An earlier (or the current) version of the plan, as it was."""
    version = get_for_operator_or_404(PlanVersion.objects.all(), request.operator, number=number)
    latest = current_plan_version(request.operator)
    context = {
        "operator": request.operator,
        "version": version,
        "is_current": latest is not None and latest.pk == version.pk,
        **_may_edit(request),
    }
    context.update(plan_page_context(plan_of_version(version)))
    return render(request, "plans/plan.html", context)


def _pdf_version(request: OperatorRequest) -> PlanVersion:
    version = current_plan_version(request.operator)
    if version is None:
        raise Http404("No plan yet.")
    return version


@require_role(*PLAN_READERS)
def plan_pdf(request: OperatorRequest) -> HttpResponse:
    """The current plan as a PDF to print or hand to an inspector: made once per version and
    language in the background; until it is ready, a page that shows the progress."""
    version = _pdf_version(request)
    job = pdf_job(version, get_language())
    if job.status != PdfStatus.DONE:
        return render(request, "plans/pdf_wait.html", _pdf_progress(request, job))
    response = HttpResponse(pdf_bytes(job), content_type="application/pdf")
    filename = f"haccp-plan-{request.operator.slug}-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pdf_progress(request: OperatorRequest, job: PlanPdf) -> dict[str, Any]:
    return {
        "operator": request.operator,
        "job": job,
        "steps": STEPS,
        "percent": round(100 * min(job.step, STEPS) / STEPS),
        "failed": job.status == PdfStatus.FAILED,
    }


@require_role(*PLAN_READERS)
def pdf_progress(request: OperatorRequest) -> HttpResponse:
    """htmx: how far the PDF of the current version is; once ready, the browser opens it."""
    version = _pdf_version(request)
    job = pdf_job(version, get_language())
    response = render(request, "plans/_pdf_progress.html", _pdf_progress(request, job))
    if job.status == PdfStatus.DONE:
        response["HX-Redirect"] = reverse(
            "plans:pdf", kwargs={"operator_slug": request.operator.slug}
        )
    return response


@require_role(*PLAN_EDITORS)
def profile_wizard(request: OperatorRequest) -> HttpResponseBase:
    """The short wizard about the business, its milk and products; saving makes a version."""
    current = current_plan_version(request.operator)
    needs_reason = current is not None
    if request.method != "POST":
        wizard = ProfileWizard(
            profile=current.profile if current else None,
            operator_name=request.operator.name,
            needs_reason=needs_reason,
        )
    elif "add_product" in request.POST or "remove_product" in request.POST:
        # Without JavaScript the add/remove buttons post the form; show it again, changed.
        remove = request.POST.get("remove_product", "")
        wizard = ProfileWizard.edited(
            request.POST,
            add_product="add_product" in request.POST,
            remove_product=int(remove) if remove.isdigit() else None,
            needs_reason=needs_reason,
        )
    else:
        wizard = ProfileWizard(request.POST, needs_reason=needs_reason)
        if wizard.is_valid():
            try:
                save_profile(request.operator, request.user, wizard.profile_data(), wizard.reason)
            except ProfileError as error:
                wizard.add_profile_error(error)
            else:
                messages.success(request, _("Your plan is ready."))
                return _to_plan(request)
    return render(
        request,
        "plans/wizard.html",
        {"operator": request.operator, "wizard": wizard, "has_plan": current is not None},
    )


@require_role(*PLAN_EDITORS)
def product_row(request: OperatorRequest) -> HttpResponse:
    """htmx: one more empty product row for the wizard, and the new row count."""
    raw_count = request.GET.get(f"{PRODUCTS_PREFIX}-TOTAL_FORMS", "")
    index = int(raw_count) if raw_count.isdigit() else 0
    form = ProductForm(prefix=f"{PRODUCTS_PREFIX}-{index}", initial={"packaging": "none"})
    return render(
        request,
        "plans/_product_added.html",
        {
            "operator": request.operator,
            "form": form,
            "index": index,
            "total": index + 1,
            "prefix": PRODUCTS_PREFIX,
        },
    )


@require_role(*PLAN_EDITORS)
def product_removed(request: OperatorRequest) -> HttpResponse:
    """htmx: a removed product row is replaced by nothing."""
    return HttpResponse("")


@require_role(*PLAN_READERS)
def versions_page(request: OperatorRequest) -> HttpResponse:
    """Every version of the plan with who made it, when and why; pick two to compare."""
    versions = list(plan_versions(request.operator))
    numbers = [v.number for v in versions]
    form = CompareForm(
        numbers=numbers,
        initial={
            "before": numbers[1] if len(numbers) > 1 else (numbers[0] if numbers else None),
            "after": numbers[0] if numbers else None,
        },
    )
    return render(
        request,
        "plans/versions.html",
        {"operator": request.operator, "versions": versions, "form": form},
    )


@require_role(*PLAN_READERS)
def compare_page(request: OperatorRequest) -> HttpResponse:
    """What changed between two versions of the plan."""
    numbers = list(plan_versions(request.operator).values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers)
    if not form.is_valid():
        raise Http404("Choose two versions of this operator's plan.")
    queryset = PlanVersion.objects.select_related("created_by")
    before = get_for_operator_or_404(queryset, request.operator, number=form.cleaned_data["before"])
    after = get_for_operator_or_404(queryset, request.operator, number=form.cleaned_data["after"])
    changes = diff_plans(plan_of_version(before), plan_of_version(after), guide_language())
    return render(
        request,
        "plans/compare.html",
        {
            "operator": request.operator,
            "before": before,
            "after": after,
            "form": form,
            "groups": changes_context(changes),
            "change_count": len(changes),
        },
    )


@require_role(*PLAN_EDITORS)
def adapt_choose(request: OperatorRequest) -> HttpResponseBase:
    """The kinds of change the guide allows; each opens its own short form."""
    if current_plan_version(request.operator) is None:
        return redirect("plans:profile", operator_slug=request.operator.slug)
    return render(
        request,
        "plans/adapt_choose.html",
        {"operator": request.operator, "kinds": AdaptationKind.choices},
    )


@require_role(*PLAN_EDITORS)
def adapt_page(request: OperatorRequest, kind: str) -> HttpResponseBase:
    """Adapt the plan in one way, with a written justification; saving makes a version."""
    form_class = ADAPTATION_FORMS.get(kind)
    version = current_plan_version(request.operator)
    if form_class is None:
        raise Http404("No such adaptation.")
    if version is None:
        return redirect("plans:profile", operator_slug=request.operator.slug)
    plan = plan_of_version(version)
    options: dict[str, Any] = {"plan": plan, "lang": guide_language()}
    if form_class is AddStepForm:
        options["guide_controls"] = [
            c.id for c in sorted(load_guide().controls, key=lambda c: (c.kind, c.number))
        ]
    form = form_class(request.POST or None, **options)
    if request.method == "POST" and form.is_valid():
        try:
            adapt_plan(request.operator, request.user, form.adaptation())
        except ProfileError as error:
            form.add_profile_error(error)
        else:
            messages.success(request, _("The plan is adapted. The change is a new version."))
            return _to_plan(request)
    return render(
        request,
        "plans/adapt.html",
        {
            "operator": request.operator,
            "form": form,
            "kind": kind,
            "kind_label": AdaptationKind(kind).label,
        },
    )
