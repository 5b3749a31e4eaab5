"""API endpoints of the labels context: the labels of the plan's products, the label check and
the prints of a lot.

The token belongs to one operator: every lookup is narrowed to it, so another operator's
objects are 404. Reading needs any membership; recording a print needs owner or staff
(auditors get 403). Input the services refuse is a 422 whose message starts with the field.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.labels import LabelInputError
from dairyhaccp.labels.inputs import check_label_data
from dairyhaccp.web.apischema import MAX_OFFSET, MAX_PAGE, error_codes
from dairyhaccp.web.labels import selectors
from dairyhaccp.web.labels.composing import LabelError
from dairyhaccp.web.labels.models import Label, LabelPrint, LabelVersion
from dairyhaccp.web.labels.schemas import (
    CheckOut,
    DbId,
    LabelVersionOut,
    Lang,
    PrintIn,
    PrintOut,
    ProductLabelOut,
)
from dairyhaccp.web.labels.services import record_print
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.records.models import Batch

router = Router(tags=["labels"])


def _refused(error: LabelError | LabelInputError) -> HttpError:
    return HttpError(422, f"{error.field}: {error.problem}")


def _version_out(version: LabelVersion) -> LabelVersionOut:
    return LabelVersionOut(
        number=version.number,
        in_use=version.in_use,
        language=version.language,
        sales_name=version.sales_name,
        composition=version.composition,
        mentions=list(version.mentions),
        net_quantity=version.net_quantity,
        operator_address=version.operator_address,
        approval_number=version.approval_number,
        nutrition=version.nutrition,
        own_text=version.own_text,
        missing=version.missing,
        check=version.check_result,
        reason=version.reason,
        created_by=version.created_by.get_username(),
        created_at=version.created_at,
        guide_version=version.guide_version,
    )


def _print_out(label_print: LabelPrint) -> PrintOut:
    batch = label_print.batch
    version = label_print.label_version
    return PrintOut(
        id=label_print.pk,
        batch_id=batch.pk,
        lot_code=batch.lot_code,
        product=batch.product,
        label_id=version.label_id,
        label_version=version.number,
        copies=label_print.copies,
        layout=label_print.layout,
        first_position=label_print.first_position,
        net_quantity=label_print.net_quantity,
        date_on_label=label_print.date,
        date_type=label_print.date_type,
        printed_by=label_print.printed_by.get_username(),
        printed_at=label_print.printed_at,
        pdf=reverse(
            "labels:print-pdf",
            kwargs={"operator_slug": label_print.operator.slug, "print_id": label_print.pk},
        ),
    )


@router.get(
    "/labels",
    response={200: list[ProductLabelOut], **error_codes(404)},
    summary="The products of the plan with their label versions (newest first)",
)
def list_labels(request: HttpRequest, product: str = "") -> list[ProductLabelOut]:
    operator = api_membership(request).operator
    rows = selectors.product_labels(operator)
    if product:
        rows = [row for row in rows if row.product.label == product]
        if not rows:
            raise HttpError(404, "product: not a product of the plan")
    return [
        ProductLabelOut(
            product=row.product.label,
            kind=row.product.kind,
            raw_milk=row.product.raw_milk,
            label_id=row.label.pk if row.label else None,
            latest_version=row.latest.number if row.latest else None,
            version_in_use=row.latest.number if row.in_use and row.latest else None,
            versions=[_version_out(v) for v in selectors.versions(row.label)] if row.label else [],
        )
        for row in rows
    ]


@router.get(
    "/labels/prints",
    response=list[PrintOut],
    summary="Label prints, newest first, a page at a time; of one lot with batch_id",
)
def list_prints(
    request: HttpRequest,
    batch_id: DbId | None = None,
    limit: int = Query(MAX_PAGE, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[PrintOut]:
    operator = api_membership(request).operator
    rows = selectors.prints(operator)
    if batch_id is not None:
        rows = rows.filter(batch_id=batch_id)
    return [_print_out(p) for p in rows[offset : offset + limit]]


@router.post(
    "/labels/prints",
    response={201: PrintOut},
    summary="Record a print of labels for a lot with the label version in use",
)
def create_print(request: HttpRequest, payload: PrintIn) -> Status[PrintOut]:
    member = api_membership(request, *WRITING_ROLES)
    operator = member.operator
    batch = Batch.objects.filter(operator=operator, pk=payload.batch_id).first()
    if batch is None:
        raise HttpError(422, "batch_id: not found")
    try:
        label_print = record_print(
            operator,
            member.user,
            batch,
            copies=payload.copies,
            layout=payload.layout,
            net_quantity=payload.net_quantity,
            first_position=payload.first_position,
        )
    except LabelError as error:
        raise _refused(error) from error
    return Status(201, _print_out(label_print))


@router.get(
    "/labels/{label_id}/versions",
    response=list[LabelVersionOut],
    summary="Every version of a label, newest first",
)
def label_versions(request: HttpRequest, label_id: DbId) -> list[LabelVersionOut]:
    operator = api_membership(request).operator
    label = get_object_or_404(Label, operator=operator, pk=label_id)
    return [_version_out(v) for v in selectors.versions(label)]


@router.post(
    "/labels/check",
    response=CheckOut,
    # The answer is the command line's, field for field: absent stays absent.
    exclude_unset=True,
    summary="Check a composition and the mentions of a label, as `dairyhaccp label check`; "
    "stores nothing",
)
def check_label_endpoint(request: HttpRequest, lang: Lang = "nl") -> dict[str, Any]:
    api_membership(request)
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        raise HttpError(422, "input: not valid JSON") from None
    try:
        return check_label_data(data, lang)
    except LabelInputError as error:
        raise _refused(error) from error
