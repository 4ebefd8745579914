"""Flöden i gränssnittet, med tangenter enbart (pilot): import, rapport, händelser, fel."""

from __future__ import annotations

import zipfile

from textual.widgets import DataTable, Input, Static

from bemanning.matching.explain import item_line, missed_lines, why_line
from tests.tui.conftest import TODAY, build_norr_one_week, settle, type_text
from tui.screens.beslut import BeslutScreen
from tui.screens.dialogs import ErrorDialog, FileSaveDialog, FormDialog, HelpScreen
from tui.screens.importera import ImportDialog
from tui.screens.matchning import MatchningScreen
from tui.screens.oversikt import OversiktScreen
from tui.screens.rapporter import RapporterScreen
from tui.screens.resurser import ResurserScreen
from tui.screens.schema import SchemaScreen


def text_of(app, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


async def test_start_shows_overview_and_numbers_keys_switch_screens(demo_app):
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(demo_app.screen, OversiktScreen)
        assert "50" in text_of(demo_app, "#ruta-oppna")
        assert "30" in text_of(demo_app, "#ruta-over")
        # the fee-risk card counts beslut (not a sum of days that reads like one wait)
        assert text_of(demo_app, "#ruta-avgift").endswith("beslut\nkan ge avgift")
        tooltip = str(demo_app.screen.query_one("#ruta-avgift").tooltip)
        assert "av 30 beslut som väntat längre än tre" in tooltip and "skälig tid" in tooltip
        assert "Risk för särskild avgift" in tooltip
        for key, cls in [("2", BeslutScreen), ("3", MatchningScreen), ("4", SchemaScreen),
                         ("5", RapporterScreen), ("6", ResurserScreen), ("1", OversiktScreen)]:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(demo_app.screen, cls), key


async def test_f1_shows_help_for_the_screen(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(demo_app.screen, HelpScreen)
        assert "Beslut" in demo_app.screen.title_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(demo_app.screen, BeslutScreen)


async def test_import_ludvika_then_december_report_and_export(empty_app, ludvika_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ludvika").symlink_to(ludvika_dir)
    app = empty_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await type_text(pilot, "ludvika")  # en katalog: alla CSV-filer i den
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = text_of(app, "#import-text")
        assert "Sparat" in result, result
        assert "händelser sparade" in result
        await pilot.press("escape")
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, RapporterScreen)
        assert app.screen.query_one("#rapport-period", Input).value == "2023-12"
        preview = text_of(app, "#rapport-text")
        assert "Statistikrapport den 31 december 2023" in preview
        assert "23" in preview
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FileSaveDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = tmp_path / "statistikrapport-2023-12-31.docx"
        assert written.exists()
        assert zipfile.is_zipfile(written)
        assert isinstance(app.screen, RapporterScreen)
        # En andra export till samma namn skriver inte över utan att fråga.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FileSaveDialog)
        assert dialog.query_one("#f-namn").has_class("error")
        await pilot.press("escape")


async def test_import_error_shows_the_lines_and_saves_nothing(empty_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "fel.csv"
    bad.write_text(
        "beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;LSS – kontaktperson;2023-13-01\n",
        encoding="utf-8",
    )
    app = empty_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, bad.name)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = text_of(app, "#import-text")
        assert "Inget har ändrats" in text
        assert "rad 2" in text
        assert app.register.last_event_id() == 0
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "saknas.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#import-filer").has_class("error")


async def test_beslut_search_filter_and_record_offer_with_field_validation(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BeslutScreen)
        assert screen.antal == 50 and len(screen.sida_rader) == 50
        await pilot.press("slash")
        await type_text(pilot, "DEMO-0032")
        await pilot.press("enter")
        await settle(pilot)
        assert [r.beslut_id for r in screen.sida_rader] == ["DEMO-0032"] and screen.antal == 1
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "2026-13-40")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#f-datum").has_class("error")
        assert "datum" in str(dialog.query_one("#fel-datum", Static).render()).lower()
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-11-20")
        assert not dialog.query_one("#f-datum").has_class("error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BeslutScreen)
        assert "Erbjudande: tackat nej" in text_of(app, "#detalj-text")
        assert screen.sida_rader[0].erbjudanden == 2


async def test_beslut_list_says_how_to_turn_pages(demo_app, monkeypatch):
    """Raden över listan säger sidan och tangenterna, i klartext ([ och ] är ingen märkning)."""
    import tui.screens.beslut as beslut_screen

    monkeypatch.setattr(beslut_screen, "PAGE", 20)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert "50 av" in text_of(demo_app, "#beslut-info")
        assert "sida 1 av 3, bläddra med [ och ]" in text_of(demo_app, "#beslut-info")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "sida 2 av 3" in text_of(demo_app, "#beslut-info")


async def test_verkstallt_leaves_the_open_list(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        first = screen.sida_rader[0].beslut_id
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Verkställt" in text_of(app, "#detalj-text")
        assert app.register.beslut_lage(first, app.today).status == "verkställt"
        # raden står kvar med sin nya status tills urvalet ändras
        assert next(r for r in screen.sida_rader if r.beslut_id == first).status == "verkställt"
        # Ett andra verkställt för samma beslut visas som fel i dialogen, inte som krasch.
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert "redan verkställt" in str(app.screen.query_one("#form-fel", Static).render())
        await pilot.press("escape")


async def test_worker_failure_shows_error_dialog_and_app_stays_usable(demo_app, monkeypatch):
    import tui.screens.oversikt as oversikt

    def broken(*_args, **_kwargs):
        raise RuntimeError("databasen svarar inte")

    monkeypatch.setattr(oversikt, "berakna", broken)
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        details = "\n".join(app.screen.details)
        # Felets text kan bära personuppgifter: den står i loggfilen, inte på skärmen.
        assert "databasen svarar inte" not in details
        logfile = details.removeprefix("Loggfil: ").strip()
        assert "RuntimeError: databasen svarar inte" in open(logfile, encoding="utf-8").read()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OversiktScreen)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, BeslutScreen)
        assert app.screen.query_one("#beslut-tabell", DataTable).row_count == 50


async def test_resurser_lists_and_searches(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#tabell-uppdragstagare", DataTable).row_count == 40
        await pilot.press("p")
        await pilot.pause()
        assert screen.query_one("#tabell-personal", DataTable).row_count == 120
        await pilot.press("slash")
        await type_text(pilot, "P0001")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#tabell-personal", DataTable).row_count == 1
        assert "P0001" in text_of(app, "#resurs-detalj-text")


async def test_theme_toggle_and_today_injected(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.today == TODAY
        before = app.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != before


async def test_matching_then_approve_shows_in_beslut_history(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatchningScreen)
        await pilot.press("m")
        await settle(pilot)
        assert screen.resultat is not None
        assert len(screen.resultat.forslag) > 0
        first = screen.resultat.forslag[0]
        detail = str(text_of(app, "#matchning-detalj-text"))
        assert first.beslut_id in detail and first.kandidat.namn in detail
        assert first.onskemal, "förslaget ska motiveras med önskemålen"
        assert why_line(first.onskemal) in detail
        for line in missed_lines(first.onskemal):
            assert line in detail
        assert "vikt" not in detail, "vikterna hör till detaljerna"
        await pilot.press("d")
        await settle(pilot)
        detail = str(text_of(app, "#matchning-detalj-text"))
        for item in first.onskemal:
            assert item_line(item) in detail
        await pilot.press("d")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("g")
        await settle(pilot)
        assert screen.status[(first.beslut_id, first.kandidat.kandidat_id)] == "godkänd"
        saved = [str(n.message) for n in app._notifications]
        assert any(first.beslut_id in m and "godkänt" in m for m in saved), saved
        assert not any(first.kandidat.namn in m for m in saved), "namn hör inte hemma i en avisering"
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, first.beslut_id)
        await pilot.press("enter")
        await settle(pilot)
        detail = text_of(app, "#detalj-text")
        assert f"Förslag godkänt: {first.kandidat.kandidat_id}" in detail
        assert f"Förslag: {first.kandidat.kandidat_id}" in detail


async def test_matching_unmatched_reasons_and_recruitment(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#tabell-utan", DataTable).row_count == len(screen.resultat.utan_person)
        assert "Personer som skulle täcka" in text_of(app, "#rekrytering-text")


async def test_roster_build_figures_absence_and_replan(demo_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await build_norr_one_week(app, pilot)
        k = screen.korning
        assert k.problem.dagar == 7
        assert "Täckningsgrad" in text_of(app, "#nyckeltal-text")
        # the bound (the best of CP-SAT's and the staff's capacity) and how far the roster is
        # at most from the best possible
        assert "lägsta möjliga" in text_of(app, "#nyckeltal-text")
        if k.resultat.gap_till_grans is not None:  # a number, or in words when over 100 %
            from bemanning.roster.solver import gap_text

            assert gap_text(k.resultat.gap_till_grans) in text_of(app, "#nyckeltal-text")
            assert "bästa möjliga" in text_of(app, "#nyckeltal-text")
        assert "Täckning" in text_of(app, "#schema-info")
        table = screen.query_one("#schema-tabell", DataTable)
        assert table.row_count == len(k.problem.personal)
        assert app.senaste_schema and "täckningsgrad" in app.senaste_schema
        # Nyckeltal, obemannade pass och resurspass kommer från kärnan (bemanning.roster.figures).
        assert "Förväntad andel arbetad tid av timavlönade" in text_of(app, "#nyckeltal-text")
        assert screen.query_one("#obemannat-tabell", DataTable).row_count == len(k.nyckeltal.obemannade)
        assert screen.query_one("#resurs-tabell", DataTable).row_count == len(k.nyckeltal.resurspass)
        placed = [x for x in k.nyckeltal.resurspass if x.dag is not None]
        if placed:
            row = [x.person_id for x in k.problem.personal].index(placed[0].person_id)
            assert table.get_row_at(row)[2 + placed[0].dag].plain.endswith("+")
        # Frånvaro för den första som arbetar dag 0 (lösarens schema varierar med tiden den får).
        ids = [x.person_id for x in k.problem.personal]
        working = {t.person_id for t in k.resultat.schema.tilldelningar if t.dag == 0}
        index = next(i for i, pid in enumerate(ids) if pid in working)
        first = ids[index]
        await pilot.press("f")
        await pilot.pause()
        if index:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press(*(["down"] * index), "enter")
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.extra_franvaro and screen.extra_franvaro[0].person_id == first
        await pilot.press("p")
        await settle(pilot)
        k2 = screen.korning
        assert k2 is not k
        assert k2.omplanering is not None and k2.omplanering.borttagna  # kärnans omplanering
        assert "Omplanerat" in text_of(app, "#schema-info")
        # varför täckningen ändrades, i ord: före, efter, vad frånvaron öppnade
        why = "\n".join(k2.forklaring)
        assert "före frånvaron" in why and "efter omplaneringen" in why and "Frånvaron öppnade" in why
        assert "Frånvaron öppnade" in text_of(app, "#nyckeltal-text")
        assert (first, 0) in k2.problem.franvaro_set
        assert not [t for t in k2.resultat.schema.tilldelningar if t.person_id == first and t.dag == 0]
        # Det omplanerade schemat sparas som Excel (x, Ctrl+S) och läses tillbaka.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = list(tmp_path.glob("schema-*.xlsx"))
        assert len(saved) == 1
        import openpyxl

        book = openpyxl.load_workbook(saved[0], read_only=True)
        assert len(book.sheetnames) >= 2


async def test_roster_input_errors_at_the_field(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("tab", "tab", "2", "0", "enter")
        await pilot.pause()
        assert app.screen.query_one("#schema-veckor").has_class("error")
        assert "16 veckor" in text_of(app, "#fel-schema")


async def test_command_palette_offers_the_apps_own_commands(demo_app):
    from textual.command import CommandPalette

    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Gå till Översikt" in titles and "Gå till Beslut" not in titles
        assert any(t.startswith("Erbjudande för DEMO-") for t in titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
