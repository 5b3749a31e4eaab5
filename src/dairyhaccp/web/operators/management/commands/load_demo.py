"""`manage.py load_demo`: the demo operator and its three users; safe to run again."""

from __future__ import annotations

import os
import tomllib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from dairyhaccp.examples import example_profile
from dairyhaccp.web.lab.demo import load_lab_demo
from dairyhaccp.web.lots.demo import load_lots_demo
from dairyhaccp.web.operators.choices import BusinessKind, Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import BusinessDetails, add_member, create_operator
from dairyhaccp.web.plans.selectors import current_plan_version
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.demo import load_records_demo

DEMO_OPERATOR_NAME = "Hoeve Voorbeeld"
DEMO_OPERATOR_SLUG = "hoeve-voorbeeld"
DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("demo", Role.OWNER),
    ("staf", Role.STAFF),
    ("auditor", Role.AUDITOR),
)
DEFAULT_DEMO_PASSWORD = "zuivel-demo"
DEMO_URL = "http://127.0.0.1:8000/"
SIGNUP_URL = f"{DEMO_URL}accounts/signup/"
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


def load_demo_content(operator: Operator, owner: User) -> None:
    """Fill the demo operator with example content (its HACCP plan, rooms, lab results and
    lots); must be idempotent."""
    # The first plan version comes from the demo profile; an existing plan is left as it is.
    if current_plan_version(operator) is None:
        save_profile(operator, owner, tomllib.loads(example_profile("demo")))
    load_records_demo(operator)
    load_lab_demo(operator, owner)
    load_lots_demo(operator, owner)


class Command(BaseCommand):
    help = "Create the demo operator Hoeve Voorbeeld with users demo, staf and auditor."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DAIRYHACCP_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        with transaction.atomic():
            operator = Operator.objects.filter(slug=DEMO_OPERATOR_SLUG).first()
            if operator is None:
                # The demo farm milks its own cows and makes cheese of the milk.
                operator = create_operator(
                    DEMO_OPERATOR_NAME,
                    slug=DEMO_OPERATOR_SLUG,
                    details=BusinessDetails(name=DEMO_OPERATOR_NAME, kind=BusinessKind.BOTH),
                )
            users: dict[Role, User] = {}
            for username, role in DEMO_USERS:
                user, _created = User.objects.get_or_create(username=username)
                # The login printed below must work; an unchanged password keeps sessions alive.
                if not user.check_password(password):
                    user.set_password(password)
                    user.save()
                add_member(operator, user, role)
                users[role] = user
            load_demo_content(operator, users[Role.OWNER])

        self.stdout.write(self.style.SUCCESS(f"Demo operator ready: {operator.name}"))
        self.stdout.write(f"  Open:     {DEMO_URL}")
        for username, role in DEMO_USERS:
            self.stdout.write(f"  User:     {username} ({role.value})")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write(f"Register a business of your own: {SIGNUP_URL}")
        if settings.EMAIL_BACKEND == CONSOLE_EMAIL_BACKEND:
            self.stdout.write("  (e-mails, such as its link, appear in this terminal)")
