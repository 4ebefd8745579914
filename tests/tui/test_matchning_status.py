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
