"""The API keeps its word: every answer of a live server fits the OpenAPI schema it publishes.

Schemathesis makes requests from the schema (valid ones, and invalid ones) for every operation,
as the demo owner with an API token, and checks each answer: no server error, a status code the
operation documents, its content type and a body that fits the documented schema.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from pytest_django.live_server_helper import LiveServer
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from dairyhaccp.web.config.api import api
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.mark.parametrize(
    ("method", "path", "operation"), _operations(), ids=[f"{m} {p}" for m, p, _ in _operations()]
)
def test_each_operation_documents_its_error_answers(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    documented = {int(code) for code in operation["responses"]}
    parameters = operation.get("parameters", [])
    assert {401, 500} <= documented
    if parameters or "requestBody" in operation:
        assert {400, 422} <= documented
    if any(parameter["in"] == "path" for parameter in parameters):
        assert 404 in documented
    if path != "/api/loggers/devices/{device_id}/readings":
        assert 403 in documented


def test_the_schema_gives_closed_sets_as_enums() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]

    assert components["MembershipOut"]["properties"]["role"]["enum"] == [
        "owner",
        "staff",
        "auditor",
        "vet",
        "sector",
    ]
    verdict = components["RegistrationOut"]["properties"]["verdict"]
    assert verdict["enum"] == ["conform", "warning", "deviation"]
    outcome = components["DeviationOut"]["properties"]["outcome"]
    assert "" in outcome["enum"] and "destroyed" in outcome["enum"]
    error = components["InvalidOut"]["properties"]["detail"]
    assert {option.get("type") for option in error["anyOf"]} == {"string", "array"}


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Requests per operation and kind of data: about two minutes for the whole API.
EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_its_schema_says(live_server: LiveServer) -> None:
    call_command("load_demo", stdout=StringIO())
    owner = User.objects.get(username="demo")
    token = issue_api_token(owner, Operator.objects.get(slug="hoeve-voorbeeld")).clear_token
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50

    problems: list[str] = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            problem = _run(operation, mode, examples, live_server.url, headers)
            if problem:
                problems.append(f"{operation.label} ({mode.value}): {problem}")

    assert problems == [], "\n\n".join(problems)


def _run(operation: Any, mode: GenerationMode, examples: int, url: str, headers: Any) -> str:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)

    try:
        check()
    except (AssertionError, FailureGroup) as error:
        return str(error)
    return ""
