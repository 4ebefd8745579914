"""Matchning-skärmen säger på inforaden vad som är bevisat om förslagen (issue 21)."""

from __future__ import annotations

import attrs
from textual.widgets import Static

from tests.tui.conftest import settle
from tui.screens.matchning import MatchningScreen


def _info(screen) -> str:
    return str(screen.query_one("#matchning-info", Static).render())


async def test_info_line_says_proven_or_how_many_more_could_get_a_person(demo_app):
    async with demo_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "m")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, MatchningScreen)
        assert screen.resultat is not None
        assert "Bevisat bästa möjliga" in _info(screen)
        # Samma resultat som om lösaren inte hunnit bevisa det: gapet sägs i stället.
        losning = attrs.evolve(screen.resultat.losning, optimal=False, grans_tackta=screen.resultat.losning.tackta + 1,
                               grans_tackning=screen.resultat.losning.tackning + 1500)
        screen.visa(attrs.evolve(screen.resultat, losning=losning))
        await pilot.pause()
        assert "Högst 1 beslut till kunde få en person" in _info(screen)
        assert "Bevisat" not in _info(screen)
        assert "1 500 prioritetspoäng" in str(screen.query_one("#matchning-info", Static).tooltip)


async def test_every_column_of_the_proposals_fits_in_a_window_of_110_columns(demo_app):
    # Förut räknades breddningen från 80 kolumner, så att Typ och Passform sköts ut ur ett
    # fönster på 110 och 120 kolumner när Insats och Person breddades.
    from textual.widgets import DataTable

    async with demo_app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3", "m")
        await settle(pilot)
        table = demo_app.screen.query_one("#tabell-forslag", DataTable)
        labels = [column.label.plain for column in table.columns.values()]
        assert labels[-2:] == ["Typ", "Passform"]
        used = sum(column.get_render_width(table) for column in table.columns.values())
        assert used <= table.size.width - 2, (used, table.size.width)
