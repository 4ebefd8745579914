"""Registret på båda databaserna. PostgreSQL-varianten hoppas över (med orsak) utan server.

Varje test får ett eget tomt schema i testdatabasen (se bemanning.store.testing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.store import open_register
from bemanning.store.testing import pg_test_url, scratch_schema

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_FILES = [DEMO / f"{n}.csv" for n in ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden")]


@pytest.fixture
def pg_url() -> str:
    url, reason = pg_test_url()
    if url is None:
        pytest.skip(reason)
    return url


@pytest.fixture
def pg_schema(pg_url: str):
    """URL till ett eget, tomt schema i test-PostgreSQL."""
    with scratch_schema(pg_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """Sökväg (SQLite) eller URL (PostgreSQL, eget schema) till ett nytt register."""
    if request.param == "sqlite":
        yield str(tmp_path / "register.sqlite")
        return
    url, reason = pg_test_url()
    if url is None:
        pytest.skip(reason)
    with scratch_schema(url) as schema_url:
        yield schema_url


@pytest.fixture
def reg(db_url: str):
    register = open_register(db_url, user="testare")
    yield register
    register.close()


@pytest.fixture
def demo_files() -> list[Path]:
    return list(DEMO_FILES)
