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


#: Långa namn och långa insatser (issue 20): det som först klipps i ett smalt fönster.
LANGA_BESLUT = (
    "beslut_id;person_id;kon;insats;beslutsdatum;fodelsear;omrade;x_km;y_km;timmar_per_manad;tider\n"
    "LANG-0001;LANG-P0001;K;LSS – personlig assistans;2024-06-03;1958;soder;20,0;18,0;6;vardag\n"
    "LANG-0002;LANG-P0002;M;SoL – servicelägenhet psykiatri;2024-07-01;1971;norr;10,0;30,0;;\n"
    "LANG-0003;LANG-P0003;K;Äldreboende – servicelägenhet;2024-08-05;1939;norr;11,0;31,0;;\n"
)
LANGA_UPPDRAGSTAGARE = (
    "uppdragstagare_id;namn;kon;fodelsear;omrade;x_km;y_km;tider;max_uppdrag;max_timmar_per_manad;status;"
    "registerutdrag_datum\n"
    "U9001;Anna-Karin Johansson-Wikström Lindqvist;K;1962;soder;20,5;18,5;vardag;1;10;godkänd;2026-06-01\n"
)


@pytest.fixture(scope="session")
def _langa_master(_demo_master: Path, tmp_path_factory) -> Path:
    from bemanning.io.importer import import_files
    from bemanning.store import open_register

    folder = tmp_path_factory.mktemp("langa")
    path = folder / "langa.sqlite"
    shutil.copy(_demo_master, path)
    (folder / "beslut.csv").write_text(LANGA_BESLUT, encoding="utf-8")
    (folder / "uppdragstagare.csv").write_text(LANGA_UPPDRAGSTAGARE, encoding="utf-8")
    reg = open_register(path)
    try:
        import_files(reg, [folder / "beslut.csv", folder / "uppdragstagare.csv"], today=TODAY, source="test")
    finally:
        reg.close()
    return path


@pytest.fixture
def langa_app(_langa_master: Path, tmp_path: Path):
    from tui.app import create_app

    target = tmp_path / "langa.sqlite"
    shutil.copy(_langa_master, target)
    app = create_app(target, today=TODAY)
    yield app
    app.register.close()


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


def app_as(db, tmp_path: Path, toml: str, today: date = TODAY):
    """Appen ur fabriken för ett konto med roller ur en egen inställningsfil (`toml` är raderna
    under [anvandare.<kontot>], t.ex. 'roller = ["schemalaggare"]\\nomraden = ["norr"]')."""
    import getpass

    from bemanning.config import set_config_path
    from tui.app import create_app

    config = tmp_path / "bemanning.toml"
    config.write_text(f'[anvandare."{getpass.getuser()}"]\n{toml}\n', encoding="utf-8")
    set_config_path(config)
    try:
        return create_app(db, today=today)
    finally:
        set_config_path(None)


async def build_norr_one_week(app, pilot):
    """Schema-skärmen med tangenter: område norr, 1 vecka, 10 s, bygg; skärmen med körningen."""
    from tui.screens.schema import SchemaScreen

    await pilot.press("4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SchemaScreen)
    await pilot.press("tab", "tab", "1", "tab", "1", "0", "enter")  # norr, 1 vecka, 10 s
    await settle(pilot)
    assert screen.korning is not None, screen.query_one("#schema-info").render()
    return screen
