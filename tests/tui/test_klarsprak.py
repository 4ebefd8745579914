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


async def test_empty_register_overview_says_what_to_do_first(empty_app):
    app = empty_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = text_of(app, "#oversikt-rader")
        assert "Registret är tomt" in text
        assert "Ctrl+O" in text and "importerar" in text
        assert "bemanning demo" in text


async def test_demo_register_overview_does_not_show_the_first_run_text(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Registret är tomt" not in text_of(demo_app, "#oversikt-rader")


async def test_export_dialog_starts_in_the_home_folder_not_the_working_directory(demo_app, tmp_path, monkeypatch):
    from textual.widgets import Input

    from tui.screens.dialogs import FileSaveDialog

    home, elsewhere = tmp_path / "hem", tmp_path / "annanstans"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(demo_app.screen, FileSaveDialog)
        assert demo_app.screen.query_one("#f-katalog", Input).value == str(home)


def test_help_lists_keys_by_their_printed_names():
    from textual.binding import Binding

    from tui.app import SKARMAR
    from tui.screens.dialogs import HelpScreen, _key_name

    assert _key_name("left_square_bracket") == "["
    assert _key_name("greater_than_sign") == ">"
    assert _key_name("ctrl+o") == "Ctrl+O"
    for _name, _title, _key, cls in SKARMAR:
        help_text = HelpScreen.for_screen(cls()).text
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and "_" in binding.key:
                assert binding.key not in help_text, f"{cls.__name__}: {binding.key} i hjälpen"
        assert "_square_" not in help_text and "_sign" not in help_text


def test_readme_walk_through_quotes_what_the_program_says():
    """Det README:s runda citerar ("…") står ordagrant i programmet eller i förklaringarna."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### En runda i programmet"):readme.index("## Referens")]
    quotes = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', section)]
    assert len(quotes) >= 5
    sources = " ".join(" ".join(p.read_text(encoding="utf-8").split())
                       for folder in ("tui", "bemanning/matching", "tests/matching")
                       for p in (root / folder).rglob("*.py"))
    for quote in quotes:
        assert quote in sources, f"README citerar {quote!r}, som programmet inte säger"
