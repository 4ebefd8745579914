from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.store import open_register

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


@pytest.fixture
def reg(tmp_path: Path):
    register = open_register(tmp_path / "register.sqlite")
    yield register
    register.close()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inget test får röra användarens riktiga register eller inställningar."""
    monkeypatch.setenv("BEMANNING_DB", str(tmp_path / "standard.sqlite"))
    monkeypatch.setenv("BEMANNING_CONFIG", str(tmp_path / "ingen-installning.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
