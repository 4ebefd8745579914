"""Starten (issue 15): Beslut-listan visar sin första sida medan Översikten fortfarande räknar, och
Översiktens siffror blir desamma som när de räknas på en gång, också avgiftsrisken, som väntar
tills Översikten visas igen."""

from __future__ import annotations

import threading

from textual.widgets import DataTable, Static

import tui.screens.oversikt as oversikt
from tests.tui.conftest import TODAY, settle
from tui.screens.beslut import BeslutScreen
from tui.screens.oversikt import OversiktScreen


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_beslut_list_shows_while_the_overview_computes_and_the_figures_follow(demo_app, monkeypatch):
    expected = oversikt.berakna(demo_app.register, TODAY)  # allt på en gång, i förgrunden
    release = threading.Event()
    calls = {"berakna": 0, "avgift": 0}
    berakna, kan_ge_avgift = oversikt.berakna, oversikt.kan_ge_avgift

    def slow_berakna(*args, **kwargs):
        calls["berakna"] += 1
        assert release.wait(30), "Översikten släpptes aldrig"
        return berakna(*args, **kwargs)

    def counted_avgift(*args, **kwargs):
        calls["avgift"] += 1
        return kan_ge_avgift(*args, **kwargs)

    monkeypatch.setattr(oversikt, "berakna", slow_berakna)
    monkeypatch.setattr(oversikt, "kan_ge_avgift", counted_avgift)
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        oversikt_screen = app.screen
        assert isinstance(oversikt_screen, OversiktScreen)
        await pilot.press("2")  # direkt, medan Översikten räknar (och står still)
        screen = app.screen
        assert isinstance(screen, BeslutScreen)
        table = screen.query_one("#beslut-tabell", DataTable)
        for _ in range(400):
            if table.row_count and "Räknar" not in _text(screen, "#beslut-info") and screen._laddad:
                break
            await pilot.pause(0.01)
        # första sidan, antalet och filtrens val, fast Översiktens arbetare inte har kommit någonstans
        assert calls["berakna"] == 1 and not release.is_set()
        assert table.row_count == 50
        assert _text(screen, "#beslut-info").startswith("50 av 70 beslut")
        assert str(table.get_row_at(0)[0]).startswith("DEMO-")
        assert "räknar" in _text(oversikt_screen, "#ruta-oppna")
        screen.antal = 1200  # flera sidor: raden säger vilka tangenter som byter sida
        screen._visa_info()
        assert _text(screen, "#beslut-info").endswith("· sida 1 av 3, bläddra med [ och ]")
        screen.antal = 50
        screen._visa_info()

        release.set()  # siffrorna blir klara medan Beslut visas
        await settle(pilot)
        assert calls["avgift"] == 0  # avgiftsrisken väntar tills Översikten visas
        assert "räknar" in _text(oversikt_screen, "#ruta-avgift")
        assert _text(oversikt_screen, "#ruta-oppna") == f"{expected.oppna}\nav {expected.antal_beslut} beslut"

        await pilot.press("1")
        await settle(pilot)
        assert app.screen is oversikt_screen
        assert calls == {"berakna": 1, "avgift": 1}  # räknat en gång, inte omläst
        assert _text(oversikt_screen, "#ruta-over") == f"{expected.over_tre}\nrapporteras"
        assert _text(oversikt_screen, "#ruta-avgift") == f"{expected.avgift_kan} beslut\nkan ge avgift"
        per_insats = oversikt_screen.query_one("#per-insats", DataTable)
        rows = [(str(per_insats.get_row_at(i)[0]), per_insats.get_row_at(i)[1]) for i in range(per_insats.row_count)]
        assert rows == [(str(n), insats) for insats, n in expected.per_insats]
        assert expected.avgift_kan and expected.over_tre == 30
