"""The labels of the plan's products: the list, the editor with its live check, the versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.profile import ProductSpec
from dairyhaccp.web.labels import selectors
from dairyhaccp.web.labels.composing import ComposedLabel, LabelContent, LabelError, compose
from dairyhaccp.web.labels.forms import LabelForm, ingredient_formset, initial_of
from dairyhaccp.web.labels.layouts import layout_css, printing
from dairyhaccp.web.labels.models import Label, LabelVersion
from dairyhaccp.web.labels.presentation import check_context, label_face
from dairyhaccp.web.labels.services import (
    compose_for_plan,
    content_of,
    label_date,
    save_label,
)
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.labels import PRODUCT_KIND_LABELS, label


def product_title(product: ProductSpec) -> str:
    """A product as the pages name it: its name, or its kind in words."""
    return product.name or label(PRODUCT_KIND_LABELS, product.kind)


@operator_view
def index(request: OperatorRequest) -> HttpResponse:
    """Every product of the plan with where its label stands, and the latest lots to print for."""
    operator = request.operator
    return render(
        request,
        "labels/index.html",
        {
            "operator": operator,
            "has_plan": selectors.plan_profile(operator) is not None,
            "rows": [
                {"product": row, "title": product_title(row.product)}
                for row in selectors.product_labels(operator)
            ],
            "lots": selectors.recent_lots(operator),
        },
    )


@operator_view
def layouts_stylesheet(request: OperatorRequest) -> HttpResponse:
    """The size of each label layout as CSS, made from the layout data (no inline styles)."""
    response = HttpResponse(layout_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "max-age=3600"
    return response


def _product_or_404(request: OperatorRequest) -> ProductSpec:
    product = selectors.plan_product(request.operator, request.GET.get("product", ""))
    if product is None:
        raise Http404("Not a product of the plan.")
    return product


def _defaults(operator: Operator, product: ProductSpec) -> LabelContent:
    """A first label of a product: what the plan tells of it."""
    profile = selectors.plan_profile(operator)
    species = list(profile.milk.species) if profile is not None else []
    composition: dict[str, Any] = {"species": species or ["cow"], "prepacked": True}
    if product.shelf_life_days is not None:
        composition["shelf_life_days"] = product.shelf_life_days
    return LabelContent(
        composition=composition,
        language=guide_language(),
        # The business as the plan names it; the owner adds the address.
        operator_address=profile.operator.name if profile is not None else operator.name,
    )


def _layout_id(value: Any) -> str:
    ids = [layout.id for layout in printing().layouts]
    return value if value in ids else ids[0]


def live_context(
    composed: ComposedLabel | None, layout_id: str, errors: list[str] | None = None
) -> dict[str, Any]:
    """The preview at real size and the check, for the editor and its htmx refresh."""
    context: dict[str, Any] = {
        "layout": printing().layout(_layout_id(layout_id)),
        "composed": composed,
        "errors": errors or [],
    }
    if composed is not None:
        example_day, _kind = label_date(timezone.localdate(), composed)
        context["face"] = label_face(composed, day=example_day)
        context["check"] = check_context(composed)
    return context


def _form_errors(*forms: Any) -> list[str]:
    found: list[str] = []
    for form in forms:
        for form_ in getattr(form, "forms", [form]):
            for name, errors in form_.errors.items():
                title = form_.fields[name].label if name in form_.fields else ""
                found.extend(f"{title}: {e}" if title else str(e) for e in errors)
        found.extend(str(e) for e in getattr(form, "non_form_errors", lambda: [])())
    return found


def _editor_forms(
    request: OperatorRequest, product: ProductSpec, latest: LabelVersion | None
) -> tuple[LabelForm, Any]:
    return (
        LabelForm(request.POST, product=product, needs_reason=latest is not None),
        ingredient_formset(request.POST),
    )


@require_write
def edit(request: OperatorRequest) -> HttpResponseBase:
    """The label editor of one product; saving stores a new version, marked in use or not."""
    operator = request.operator
    product = _product_or_404(request)
    label_row = selectors.label_of(operator, product.label)
    latest = selectors.latest_version(label_row)
    composed: ComposedLabel | None = None
    if request.method == "POST":
        form, formset = _editor_forms(request, product, latest)
        if form.is_valid() and formset.is_valid():
            content = form.content(formset.ingredients())
            try:
                if "save" in request.POST or "save_in_use" in request.POST:
                    in_use = "save_in_use" in request.POST
                    version = save_label(
                        operator,
                        request.user,
                        product.label,
                        content,
                        in_use=in_use,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("The label is saved and in use.")
                        if in_use
                        else _("The label is saved as a draft: it is not printed until in use."),
                    )
                    return redirect(
                        "labels:label", operator_slug=operator.slug, label_id=version.label_id
                    )
            except LabelError as error:
                form.add_label_error(error)
            try:
                composed = compose_for_plan(operator, product.label, content)
            except LabelError as error:
                form.add_label_error(error)
        layout_id = request.POST.get("layout", "")
    else:
        content = content_of(latest) if latest is not None else _defaults(operator, product)
        layout_id = _layout_id("")
        form = LabelForm(
            initial=initial_of(content) | {"layout": layout_id},
            product=product,
            needs_reason=latest is not None,
        )
        formset = ingredient_formset(ingredients=content.composition.get("ingredients"))
        try:
            composed = compose_for_plan(operator, product.label, content)
        except LabelError as error:
            form.add_label_error(error)
    return render(
        request,
        "labels/edit.html",
        {
            "operator": operator,
            "product": product,
            "product_title": product_title(product),
            "form": form,
            "formset": formset,
            "latest": latest,
            "label": label_row,
            **live_context(composed, layout_id),
        },
    )


@require_write
def preview(request: OperatorRequest) -> HttpResponseBase:
    """htmx: the preview and the check of the editor as it is filled in; stores nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    operator = request.operator
    product = _product_or_404(request)
    latest = selectors.latest_version(selectors.label_of(operator, product.label))
    form, formset = _editor_forms(request, product, latest)
    composed = None
    errors: list[str] = []
    if form.is_valid() and formset.is_valid():
        try:
            composed = compose_for_plan(
                operator, product.label, form.content(formset.ingredients())
            )
        except LabelError as error:
            errors.append(error.problem)
    else:
        errors = _form_errors(form, formset)
    return render(
        request,
        "labels/_live.html",
        {"operator": operator, **live_context(composed, request.POST.get("layout", ""), errors)},
    )


def _version_context(version: LabelVersion) -> dict[str, Any]:
    content = content_of(version)
    try:
        try:
            composed = compose_for_plan(version.operator, version.label.product, content)
        except LabelError:
            # The product left the plan: show the version as it was stored.
            composed = compose(content)
    except LabelError as error:
        # Rules of a later guide version may refuse what was stored: say so, show the rest.
        return live_context(None, "", [error.problem])
    return live_context(composed, "")


@operator_view
def label_page(request: OperatorRequest, label_id: int) -> HttpResponse:
    """A label: its current version at real size with its check, and every version."""
    label_row = get_for_operator_or_404(Label.objects.all(), request.operator, pk=label_id)
    versions = list(selectors.versions(label_row))
    if not versions:
        raise Http404("No version yet.")
    product = selectors.plan_product(request.operator, label_row.product)
    return render(
        request,
        "labels/label.html",
        {
            "operator": request.operator,
            "label": label_row,
            "version": versions[0],
            "versions": versions,
            "in_plan": product is not None,
            "is_current": True,
            **_version_context(versions[0]),
        },
    )


@operator_view
def version_page(request: OperatorRequest, label_id: int, number: int) -> HttpResponse:
    """One version of a label as it was saved, with the check it passed or failed then."""
    label_row = get_for_operator_or_404(Label.objects.all(), request.operator, pk=label_id)
    version = get_for_operator_or_404(
        LabelVersion.objects.select_related("created_by"),
        request.operator,
        label=label_row,
        number=number,
    )
    latest = selectors.latest_version(label_row)
    return render(
        request,
        "labels/label.html",
        {
            "operator": request.operator,
            "label": label_row,
            "version": version,
            "versions": list(selectors.versions(label_row)),
            "in_plan": selectors.plan_product(request.operator, label_row.product) is not None,
            "is_current": latest is not None and latest.pk == version.pk,
            **_version_context(version),
        },
    )
