"""Gemensamt för gränssnittstesterna: ett demoregister med fast dag, byggt en gång och
kopierat till varje test (aldrig användarens register), och appen ur den riktiga fabriken."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bemanning.demo import load_demo

#: Demodatans referensdag: datumen flyttas inte, så allt är reproducerbart.
TODAY = date(2026, 11, 23)
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LUDVIKA = SHARED / "fixtures" / "ludvika-2023"


@pytest.fixture(autouse=True)
def _hemkatalog(tmp_path, monkeypatch):
    """Exportdialogen föreslår hemkatalogen: i testerna är den testets egen katalog."""
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    load_demo(path, today=TODAY)
    return path


@pytest.fixture
def demo_db(_demo_master: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite"
    shutil.copy(_demo_master, target)
    return target


@pytest.fixture
def demo_app(demo_db):
    from tui.app import create_app

    app = create_app(demo_db, today=TODAY)
    yield app
    app.register.close()


@pytest.fixture
def empty_app(tmp_path):
    from tui.app import create_app

    app = create_app(tmp_path / "tomt.sqlite", today=date(2024, 1, 3))
    yield app
    app.register.close()


@pytest.fixture
def ludvika_dir() -> Path:
    if not LUDVIKA.is_dir():
        pytest.skip(f"../shared saknas ({LUDVIKA}); testet behöver fixturen shared/fixtures/ludvika-2023")
    return LUDVIKA


async def settle(pilot) -> None:
    """Vänta tills arbetarna är klara och skärmen har ritats."""
    from textual.worker import WorkerFailed

    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # felet visas i en dialog; testet kontrollerar den
    await pilot.pause(0.05)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
