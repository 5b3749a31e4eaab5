"""The day in the dairy: today's production in one tap, the day confirmed "all in order",
the owner's lot code pattern."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from dairyhaccp.trace.lot_codes import (
    PLACEHOLDERS,
    LotPatternError,
    check_pattern,
    lot_code,
    product_codes,
)
from dairyhaccp.web.lots.services import start_production_on_milk
from dairyhaccp.web.lots.services.book import batch_key
from dairyhaccp.web.operators.access import OperatorRequest, require_role, require_write
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.records.presentation import milk_label, product_label
from dairyhaccp.web.records.services import RegistrationError, product_choices
from dairyhaccp.web.records.services.day import (
    confirm_day,
    lot_code_rule,
    pattern_problem,
    save_lot_code_rule,
)


def _today(request: OperatorRequest, anchor: str = "") -> HttpResponseBase:
    url = reverse("records:today", kwargs={"operator_slug": request.operator.slug})
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@require_write
def start(request: OperatorRequest) -> HttpResponseBase:
    """Start a batch of the product tapped, its lot code from the owner's pattern, made from
    the latest usable milking (lots context); say so when it could not be linked to milk."""
    try:
        started = start_production_on_milk(
            request.operator, request.user, request.POST.get("product", "")
        )
    except RegistrationError as error:
        messages.error(request, error.problem)
        return _today(request)
    batch, choice = started.batch, started.milk
    words = {"lot": batch.lot_code, "product": product_label(batch.product)}
    if choice is not None and choice.milk is not None:
        messages.success(
            request,
            _("Batch {lot} of {product} started with milk {milk}: its checks are below.").format(
                milk=milk_label(choice.milk), **words
            ),
        )
    else:
        messages.success(
            request, _("Batch {lot} of {product} started: its checks are below.").format(**words)
        )
    if choice is not None and choice.milk is None:
        link = reverse(
            "lots:link-milk",
            kwargs={"operator_slug": request.operator.slug, "key": batch_key(batch.pk)},
        )
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Batch {lot} is not linked to milk. {why}").format(why=choice.why, **words),
                link,
                _("Link it to its milk"),
            ),
        )
    return _today(request, f"batch-{batch.pk}")


@require_POST
@require_write
def confirm(request: OperatorRequest) -> HttpResponseBase:
    """Confirm the checks still open today as done and all in order (relaxations only)."""
    try:
        confirmation = confirm_day(request.operator, request.user)
    except RegistrationError as error:
        messages.error(request, error.problem)
    else:
        count = len(confirmation.duties)
        messages.success(
            request,
            ngettext(
                "{count} check confirmed all in order.",
                "{count} checks confirmed all in order.",
                count,
            ).format(count=count),
        )
    return _today(request)


class LotCodeForm(forms.Form):
    """The pattern of the lot codes and the code of each product."""

    pattern = forms.CharField(
        label=gettext_lazy("Pattern of the lot codes"),
        max_length=100,
        help_text=gettext_lazy(
            "Placeholders: {placeholders}. {n} counts the batches of that product that day."
        ),
    )

    def __init__(self, *args: Any, products: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pattern"]
        field.help_text = str(field.help_text).replace(
            "{placeholders}", ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        )
        self.products = products
        for index, product in enumerate(products):
            self.fields[f"code_{index}"] = forms.CharField(
                label=_("Code of {product}").format(product=product_label(product)),
                max_length=10,
                required=False,
            )

    def codes(self) -> dict[str, str]:
        return {
            product: self.cleaned_data.get(f"code_{index}", "")
            for index, product in enumerate(self.products)
        }


def _preview(pattern: str, codes: dict[str, str]) -> list[str]:
    try:
        parts = check_pattern(pattern, codes.values())
    except LotPatternError:
        return []
    day = timezone.localdate()
    return [lot_code(parts, code, day, n) for code in list(codes.values())[:2] for n in (1, 2)]


@require_role(Role.OWNER)
def lot_codes(request: OperatorRequest) -> HttpResponseBase:
    """The owner sets the pattern of the lot codes, with a preview before saving."""
    operator = request.operator
    products = product_choices(operator)
    rule = lot_code_rule(operator)
    initial: dict[str, Any] = {"pattern": rule.pattern}
    initial.update({f"code_{i}": rule.codes.get(p, "") for i, p in enumerate(products)})
    form = LotCodeForm(request.POST or None, initial=initial, products=products)
    preview = _preview(rule.pattern, rule.codes)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "preview":
                codes = product_codes(
                    products, {k: v.upper() for k, v in form.codes().items() if v}
                )
                check_pattern(form.cleaned_data["pattern"], codes.values())
                preview = _preview(form.cleaned_data["pattern"], codes)
            else:
                save_lot_code_rule(
                    operator, request.user, form.cleaned_data["pattern"], form.codes()
                )
                messages.success(request, _("The lot code pattern is saved."))
                return redirect("records:lot-codes", operator_slug=operator.slug)
        except LotPatternError as error:
            form.add_error("pattern", pattern_problem(error))
            preview = []
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.problem)
            preview = []
    return render(
        request,
        "records/lot_codes.html",
        {"operator": operator, "form": form, "preview": preview, "day": date.today()},
    )
