"""Sessions kept in the database, as Django keeps them, read with a statement written once.

Every signed-in request reads its session. Django builds and compiles that query anew each
time, which cost more than the read itself; here the same SELECT (the key, not expired) is
written once per database and only run.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.db.models import Field
from django.utils import timezone


@cache
def _statement(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    opts = Session._meta
    column = {
        name: quote(str(cast("Field[Any, Any]", opts.get_field(name)).column))
        for name in ("session_key", "session_data", "expire_date")
    }
    return (
        f"SELECT {column['session_data']} FROM {quote(opts.db_table)} "
        f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, with the read of a session written once per database."""

    def _get_session_from_db(self) -> Any:
        alias = router.db_for_read(Session)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=str(self.session_key), session_data=row[0])
