"""`manage.py issue_api_token USER OPERATOR_SLUG`: print a new API token once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for a member of an operator and print it (it is not stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("operator_slug")
        parser.add_argument("--label", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
            operator = Operator.objects.get(slug=options["operator_slug"])
            issued = issue_api_token(user, operator, label=options["label"])
        except (User.DoesNotExist, Operator.DoesNotExist, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(issued.clear_token)
