"""The farm profile: read by every role of the farm, changed by the farmer as a new version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import FARM_ROLES, FARMER_ROLES
from dairyhaccp.web.farm.forms import ProfileForm, add_error
from dairyhaccp.web.farm.models import FarmProfile
from dairyhaccp.web.farm.services import FarmInputError, ProfileInput, save_profile
from dairyhaccp.web.farm.views.common import may
from dairyhaccp.web.operators.access import OperatorRequest


@farm_view(FARM_ROLES)
def profile(request: OperatorRequest) -> HttpResponse:
    """The farm's current profile and its versions."""
    versions = list(selectors.profile_versions(request.operator))
    return render(
        request,
        "farm/profile.html",
        {
            "operator": request.operator,
            "profile": versions[0] if versions else None,
            "versions": versions,
            "may_edit": may(request, FARMER_ROLES),
        },
    )


def _initial(current: FarmProfile | None) -> dict[str, Any]:
    if current is None:
        return {}
    fields = (
        "species",
        "animals_in_milk",
        "sanitel_number",
        "region",
        "milking_equipment",
        "cooling_equipment",
        "herd_vet",
        "herd_vet_contract_from",
        "substitute_vet",
        "substitute_vet_contract_from",
        "certification_body",
        "milk_buyer",
    )
    initial = {name: getattr(current, name) for name in fields}
    initial["milking_times"] = ", ".join(current.milking_times)
    return initial


@farm_view(FARMER_ROLES)
def profile_edit(request: OperatorRequest) -> HttpResponseBase:
    """Change the farm profile: a new version, the earlier ones stay."""
    current = selectors.current_profile(request.operator)
    form = ProfileForm(
        request.POST or None, initial=_initial(current), bodies=selectors.certification_bodies()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_profile(
                request.operator,
                request.user,
                ProfileInput(
                    species=data["species"],
                    animals_in_milk=data["animals_in_milk"],
                    sanitel_number=data["sanitel_number"],
                    region=data["region"],
                    milking_times=form.milkings(),
                    milking_equipment=data["milking_equipment"],
                    cooling_equipment=data["cooling_equipment"],
                    herd_vet=data["herd_vet"],
                    herd_vet_contract_from=data["herd_vet_contract_from"],
                    substitute_vet=data["substitute_vet"],
                    substitute_vet_contract_from=data["substitute_vet_contract_from"],
                    certification_body=data["certification_body"],
                    milk_buyer=data["milk_buyer"],
                ),
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Farm profile saved."))
            return redirect("farm:profile", operator_slug=request.operator.slug)
    return render(request, "farm/profile_form.html", {"operator": request.operator, "form": form})
