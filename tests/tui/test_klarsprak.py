"""Vanlig svenska i gränssnittet (issue 20): markören efter flikbyte, detaljer på begäran."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tests.tui.conftest import settle
from tui.screens.matchning import MatchningScreen


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_matching_cursor_is_on_the_first_row_after_switching_tabs_and_screens(demo_app):
    app = demo_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatchningScreen)
        await pilot.press("m")
        await settle(pilot)
        table = screen.query_one("#tabell-forslag", DataTable)
        assert table.row_count >= 3
        table.focus()
        await pilot.press("down", "down")
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.press("greater_than_sign")  # Utan person
        await settle(pilot)
        await pilot.press("less_than_sign")  # tillbaka till Förslag
        await settle(pilot)
        assert table.cursor_row == 0
        first = screen.resultat.forslag[0]
        assert screen.markerat_forslag() == first
        assert first.beslut_id in text_of(app, "#matchning-detalj-text")
        # Till en annan skärm och tillbaka: också då det första förslaget.
        await pilot.press("down", "down")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert table.cursor_row == 0
        assert screen.markerat_forslag() == first


async def test_unmatched_reason_is_plain_and_details_show_the_chain(demo_app):
    app = demo_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert screen.resultat.utan_person, "demon har beslut utan person"
        await pilot.press("greater_than_sign")
        await settle(pilot)
        u = screen.markerad_utan()
        assert u is screen.resultat.utan_person[0]
        detail = text_of(app, "#matchning-detalj-text")
        assert u.forklaring.text in detail.replace("\n", " ") or u.forklaring.text[:40] in detail
        assert "Detaljer" not in detail
        await pilot.press("d")
        await settle(pilot)
        detail = text_of(app, "#matchning-detalj-text")
        assert "Detaljer" in detail and "Lösare:" in detail
