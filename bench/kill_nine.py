"""Acknowledged writes survive a crash: post registrations through the API, kill the server with
SIGKILL (master and workers at once) while they come in, start it again, and repeat; then count
the registrations the server acknowledged (201) that the database no longer holds.

Usage: .venv/bin/python bench/kill_nine.py [--rounds 16] [--writers 4] [--workers N]
Uses DATABASE_URL when set (run it under scripts/with-postgres.sh for PostgreSQL), else SQLite
in a folder of its own; var/ is never touched. `make crash` runs it on both. Exit code 1 when an
acknowledged write was lost. This kills the application server, not the database: it shows that
a 201 is only sent after the commit, not what a power cut does to the disk.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OPERATOR_SLUG = "kill-nine"
PRODUCT = "Roeryoghurt"


@dataclass
class Tally:
    """What the writers saw: acknowledged registrations (id -> remark) and the rest."""

    acknowledged: dict[int, str] = field(default_factory=dict)
    unanswered: int = 0  # the connection broke: stored or not, the client was never told
    refused: list[str] = field(default_factory=list)  # an HTTP error answer
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _set_environment() -> tempfile.TemporaryDirectory[str] | None:
    """Production-like settings; SQLite in a temporary folder unless DATABASE_URL is set."""
    os.environ.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="dairyhaccp.web.config.settings",
    )
    if os.environ.get("DATABASE_URL"):
        return None
    folder = tempfile.TemporaryDirectory(prefix="dairyhaccp-kill-nine.")
    os.environ["DAIRYHACCP_DATA_DIR"] = folder.name
    return folder


def _prepare() -> str:
    """Migrate, make an operator with the demo profile as its plan; its owner's API token."""
    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=REPO,
        check=True,
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connections

    from dairyhaccp.examples import example_profile
    from dairyhaccp.web.operators.choices import Role
    from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token
    from dairyhaccp.web.plans.services import save_profile

    operator = create_operator("Kaasmakerij Kill Nine", slug=OPERATOR_SLUG)
    owner = User.objects.create_user("kill-nine", password=secrets.token_urlsafe(20))
    add_member(operator, owner, Role.OWNER)
    save_profile(operator, owner, tomllib.loads(example_profile("demo")))
    token = issue_api_token(owner, operator).clear_token
    connections.close_all()  # the server must be the only writer while it runs
    return token


def _start_server(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [
                BIN / "gunicorn",
                "dairyhaccp.web.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",
            ],
            cwd=REPO,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group: one SIGKILL reaches every worker
        )


def _request(
    port: int, token: str, method: str, path: str, body: object = None
) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300]


def _wait_until_up(port: int, token: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting; see its log")
        try:
            if _request(port, token, "GET", "/api/plan/versions")[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def _writer(port: int, token: str, name: str, stop: threading.Event, tally: Tally) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        remark = f"kill-nine {name}-{number}"
        body = {"control": "CCP 3", "product": PRODUCT, "temperature_c": 4.0, "remark": remark}
        try:
            status, answer = _request(port, token, "POST", "/api/registrations", body)
        except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer
            with tally.lock:
                tally.unanswered += 1
            return  # the server is gone
        with tally.lock:
            if status == 201 and isinstance(answer, dict):
                tally.acknowledged[int(answer["id"])] = remark
            else:
                tally.refused.append(f"{status}: {answer}")


def _round(
    number: int, port: int, token: str, args: argparse.Namespace, tally: Tally, log: Path
) -> None:
    server = _start_server(port, args.workers, log)
    try:
        _wait_until_up(port, token, server)
        stop = threading.Event()
        writers = [
            threading.Thread(target=_writer, args=(port, token, f"{number}.{i}", stop, tally))
            for i in range(args.writers)
        ]
        before = len(tally.acknowledged)
        for writer in writers:
            writer.start()
        # The clock starts at the round's first acknowledged write: every kill then falls
        # among writes, however long the workers take to start on a busy machine.
        deadline = time.monotonic() + 120
        while len(tally.acknowledged) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(random.uniform(args.min_up, args.max_up))
        os.killpg(server.pid, signal.SIGKILL)
        stop.set()
        for writer in writers:
            writer.join()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _stored() -> dict[int, str]:
    from django.db import connections

    from dairyhaccp.web.records.models import Registration

    connections.close_all()  # see what the server committed, not an old snapshot
    rows = Registration.objects.filter(operator__slug=OPERATOR_SLUG, remark__startswith="kill-")
    return dict(rows.values_list("pk", "remark"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=16, help="kills (default 16)")
    parser.add_argument("--writers", type=int, default=4, help="clients posting at once")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--min-up", type=float, default=2.0, help="least seconds of writes before a kill"
    )
    parser.add_argument(
        "--max-up", type=float, default=5.0, help="most seconds of writes before a kill"
    )
    args = parser.parse_args()

    folder = _set_environment()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    log = Path(tempfile.mkstemp(prefix="dairyhaccp-kill-nine-", suffix=".log")[1])
    try:
        token = _prepare()
        port = _free_port()
        tally = Tally()
        started = time.monotonic()
        for number in range(1, args.rounds + 1):
            _round(number, port, token, args, tally, log)
        stored = _stored()
    finally:
        if folder is not None:
            folder.cleanup()

    lost = {pk: remark for pk, remark in tally.acknowledged.items() if stored.get(pk) != remark}
    print(
        f"kill -9 on {database}: {args.rounds} kills of gunicorn ({args.workers} workers) in "
        f"{time.monotonic() - started:.0f} s, {args.writers} clients posting registrations"
    )
    print(f"acknowledged writes: {len(tally.acknowledged)}")
    print(f"acknowledged writes lost: {len(lost)}")
    print(f"posts cut off without an answer: {tally.unanswered}")
    print(
        f"stored without an answer (cut off after the commit): "
        f"{len(set(stored) - set(tally.acknowledged))}"
    )
    print(f"refused (HTTP error): {len(tally.refused)}")
    for problem in tally.refused[:5]:
        print(f"  {problem}")
    for pk, remark in list(lost.items())[:10]:
        print(f"  lost: registration {pk} ({remark})")
    if lost or not tally.acknowledged:
        print(f"server log: {log}")
        return 1
    log.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
