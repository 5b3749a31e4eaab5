"""Suppliers and customers: one step back, one step forward."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.forms import CustomerForm, SupplierForm
from dairyhaccp.web.lots.models import Customer, Supplier
from dairyhaccp.web.lots.services import LotError, save_customer, save_supplier
from dairyhaccp.web.lots.views.common import add_error
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)


@operator_view
def supplier_list(request: OperatorRequest) -> HttpResponse:
    """The operator's suppliers."""
    return render(
        request,
        "lots/suppliers.html",
        {"operator": request.operator, "suppliers": selectors.suppliers(request.operator)},
    )


def _supplier_form(request: OperatorRequest, supplier: Supplier | None) -> HttpResponseBase:
    initial = {}
    if supplier is not None:
        initial = {
            "name": supplier.name,
            "favv_number": supplier.favv_number,
            "contact": supplier.contact,
            "address": supplier.address,
            "active": supplier.active,
        }
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_supplier(
                request.operator,
                data["name"],
                data["favv_number"],
                data["contact"],
                data["address"],
                data["active"],
                supplier=supplier,
            )
        except LotError as error:
            add_error(form, error)
        else:
            return redirect("lots:suppliers", operator_slug=request.operator.slug)
    return render(
        request,
        "lots/party_form.html",
        {"operator": request.operator, "form": form, "party": supplier, "is_supplier": True},
    )


@require_write
def supplier_new(request: OperatorRequest) -> HttpResponseBase:
    """Add a supplier."""
    return _supplier_form(request, None)


@require_write
def supplier_edit(request: OperatorRequest, supplier_id: int) -> HttpResponseBase:
    """Change a supplier's details; its lots keep pointing at it."""
    supplier = get_for_operator_or_404(Supplier.objects.all(), request.operator, pk=supplier_id)
    return _supplier_form(request, supplier)


@operator_view
def customer_list(request: OperatorRequest) -> HttpResponse:
    """The operator's customers."""
    return render(
        request,
        "lots/customers.html",
        {"operator": request.operator, "customers": selectors.customers(request.operator)},
    )


def _customer_form(request: OperatorRequest, customer: Customer | None) -> HttpResponseBase:
    initial = {}
    if customer is not None:
        initial = {
            "name": customer.name,
            "kind": customer.kind,
            "contact": customer.contact,
            "address": customer.address,
            "active": customer.active,
        }
    form = CustomerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_customer(
                request.operator,
                data["name"],
                data["kind"],
                data["contact"],
                data["address"],
                data["active"],
                customer=customer,
            )
        except LotError as error:
            add_error(form, error)
        else:
            return redirect("lots:customers", operator_slug=request.operator.slug)
    return render(
        request,
        "lots/party_form.html",
        {"operator": request.operator, "form": form, "party": customer, "is_supplier": False},
    )


@require_write
def customer_new(request: OperatorRequest) -> HttpResponseBase:
    """Add a customer."""
    return _customer_form(request, None)


@require_write
def customer_edit(request: OperatorRequest, customer_id: int) -> HttpResponseBase:
    """Change a customer's details; its deliveries keep pointing at it."""
    customer = get_for_operator_or_404(Customer.objects.all(), request.operator, pk=customer_id)
    return _customer_form(request, customer)
