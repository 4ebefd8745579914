"""Ett skrivskyddat register (eller ett som är upptaget, fullt, nekat): en svensk mening utan
SQL och utan personuppgifter, i kommandoraden och i programmet, och registret är oförändrat.

Testerna körs som root i CI, där filrättigheter inte hindrar något; registret öppnas därför
skrivskyddat genom SQLite själv (mode=ro)."""

from __future__ import annotations

import shutil

from bemanning.cli import main
from bemanning.store import open_register
from tests.tui.conftest import TODAY, settle


def _read_only_url(path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _events(path) -> list:
    reg = open_register(path)
    try:
        return reg.events()
    finally:
        reg.close()


def test_the_cli_says_the_register_is_read_only(demo_db, capsys):
    before = _events(demo_db)
    reg = open_register(demo_db)
    open_beslut = next(x.beslut_id for x in reg.beslut_lagen(TODAY) if x.is_open)
    reg.close()
    code = main(["--db", _read_only_url(demo_db), "registrera", "verkstallt", open_beslut, "--datum", "2026-11-20"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "skrivskyddat" in captured.err and "Ingenting sparades" in captured.err
    for leak in ("INSERT", "Traceback", "OperationalError", "parameters", "readonly database"):
        assert leak not in captured.err
    assert _events(demo_db) == before


async def test_the_app_says_so_and_goes_on(demo_db, tmp_path):
    from tui.app import create_app
    from tui.screens.beslut import BeslutScreen

    copy = tmp_path / "kopia.sqlite"
    shutil.copy(demo_db, copy)
    before = _events(copy)
    app = create_app(_read_only_url(copy), today=TODAY)
    notes: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("2")
        await settle(pilot)
        # Historiken visas inte när öppningen inte kan loggas, och detaljrutan säger varför.
        assert isinstance(app.screen, BeslutScreen)
        said = str(app.screen.query_one("#detalj-text").render())
        assert "Historiken visas inte" in said and "skrivskyddat" in said
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        shown = " ".join(notes) + " " + " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "skrivskyddat" in shown
        assert "INSERT" not in shown and "person_id" not in shown
        assert app.is_running
    assert app.return_code in (0, None)
    app.register.close()
    assert _events(copy) == before
