"""Hjälp för tester och mätningar mot PostgreSQL: var servern finns och ett eget schema per test.

Servern anges med miljövariabeln BEMANNING_TEST_PG_URL (scripts/postgres-for-tests.sh startar en
och skriver URL:en). Saknas den, saknas drivrutinen eller svarar servern inte, ger `pg_test_url`
None och en svensk orsak, så att testerna hoppas över i stället för att fallera.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

ENV = "BEMANNING_TEST_PG_URL"

_probed: tuple[str | None, str] | None = None


def pg_test_url() -> tuple[str | None, str]:
    """(URL, "") om en PostgreSQL för tester svarar, annars (None, orsak). Provas en gång per process."""
    global _probed
    if _probed is not None:
        return _probed
    _probed = _probe()
    return _probed


def _probe() -> tuple[str | None, str]:
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None, f"{ENV} är inte satt (kör scripts/postgres-for-tests.sh eller make test)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "paketet psycopg saknas (pip install 'psycopg[binary]')"
    from sqlalchemy import create_engine, text

    from bemanning.store.register import to_url

    url = to_url(raw)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # servern svarar inte: hoppa över, fallera inte
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"PostgreSQL på {ENV} svarar inte ({first[:160]})"
    return url, ""


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def scratch_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """Ett nytt, tomt schema i databasen; URL:en pekar dit. Schemat tas bort efteråt."""
    from sqlalchemy import create_engine, text

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield with_search_path(url, schema)
    finally:
        try:
            _drop_schema(admin, schema)
        finally:
            admin.dispose()


def _drop_schema(admin, schema: str, attempts: int = 5) -> None:
    """DROP SCHEMA … CASCADE, igen om servern bröt ett dödläge (40P01). Loggningens tillfälliga
    tabeller (migrering 0010) har en utlösare som hör till schemats funktion: en session som just
    stängs och tar bort sina tillfälliga tabeller kan då låsa i motsatt ordning mot borttagningen."""
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            return
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", "") != "40P01" or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
