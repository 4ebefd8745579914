from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.config import set_config_path
from bemanning.store import open_register
from bemanning.store.testing import pg_test_url, scratch_schema

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared saknas ({SHARED}); testet behöver specifikationens testdata")
    return SHARED


@pytest.fixture
def ludvika(shared_dir: Path) -> list[Path]:
    base = shared_dir / "fixtures" / "ludvika-2023"
    return [base / "beslut.csv", base / "erbjudanden.csv"]


@pytest.fixture(params=["sqlite", "postgresql"])
def reg(request: pytest.FixtureRequest, tmp_path: Path):
    """Ett tomt register, en gång på SQLite och en gång på PostgreSQL (eget schema per test).

    PostgreSQL-varianten hoppas över med en orsak när BEMANNING_TEST_PG_URL saknas eller
    servern inte svarar (se scripts/postgres-for-tests.sh).
    """
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


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Inget test får röra användarens riktiga register eller inställningar."""
    monkeypatch.setenv("BEMANNING_DB", str(tmp_path / "standard.sqlite"))
    monkeypatch.setenv("BEMANNING_CONFIG", str(tmp_path / "ingen-installning.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield
    set_config_path(None)  # --config i ett anrop av main() får inte följa med till nästa test
