"""Registrets tester körs mot både SQLite och PostgreSQL (ett eget schema per test).

PostgreSQL-varianten hoppas över med en orsak när BEMANNING_TEST_PG_URL saknas eller servern
inte svarar (se scripts/postgres-for-tests.sh).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.store import open_register
from bemanning.store.testing import pg_test_url, scratch_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def reg(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        register = open_register(tmp_path / "register.sqlite")
        yield register
        register.close()
        return
    url, reason = pg_test_url()
    if url is None:
        pytest.skip(reason)
    with scratch_schema(url) as schema_url:
        register = open_register(schema_url)
        yield register
        register.close()
