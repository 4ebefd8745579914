"""Nya och ändrade beslut och personer från formulären, med tangenter enbart (pilot).

Kontrollerna är kärnans (`parse_form`); här prövas att felen hamnar vid rätt fält, att inget
sparas förrän allt stämmer, och att det sparade syns i tabellen och historiken.
"""

from __future__ import annotations

from textual.widgets import DataTable, Static

from bemanning.model import Entitet, Vetting
from tests.tui.conftest import settle, type_text
from tui.screens.beslut import BeslutScreen
from tui.screens.dialogs import FormDialog
from tui.screens.resurser import ResurserScreen

PNR = "19121212-1212"  # Skatteverkets testpersonnummer (klarar kontrollsiffran)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def choose(pilot, steps: int) -> None:
    """Öppna den fokuserade listan, gå `steps` steg ned och välj."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*(["down"] * steps), "enter")
    await pilot.pause()


async def test_new_beslut_bad_date_at_the_field_then_saved_and_in_history(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BeslutScreen)
        before = screen.antal_alla
        events_before = app.register.last_event_id()
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await type_text(pilot, "NY-0001")
        await pilot.press("tab")
        await type_text(pilot, PNR)
        await pilot.press("tab")
        await choose(pilot, 1)  # kön: Kvinna (K)
        await pilot.press("tab")
        await choose(pilot, 12)  # insats: SoL – kontaktperson
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "2026-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # inget sparat
        assert app.register.last_event_id() == events_before
        assert dialog.query_one("#f-beslutsdatum").has_class("error")
        assert "inget datum" in text_of(dialog, "#fel-beslutsdatum")
        assert not dialog.query_one("#f-kon").has_class("error")
        assert dialog.focused is dialog.query_one("#f-beslutsdatum")
        await pilot.press("backspace", "backspace")
        assert not dialog.query_one("#f-beslutsdatum").has_class("error")  # rensat när fältet ändras
        await type_text(pilot, "01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BeslutScreen)
        assert screen.antal_alla == before + 1
        row = next(r for r in screen.sida_rader if r.beslut_id == "NY-0001")
        assert row.insats == "SoL – kontaktperson" and row.status == "ej verkställt"
        assert screen.valt() == "NY-0001"
        table = screen.query_one("#beslut-tabell", DataTable)
        assert table.get_row_at(table.cursor_row)[0].plain == "NY-0001"
        detail = text_of(screen, "#detalj-text")
        assert "2026-02-01" in detail and "Historik" in detail
        assert "1212-1212" not in detail and "19121212-****" in detail  # aldrig i klartext
        assert app.register.history(Entitet.BESLUT, "NY-0001")


async def test_new_beslut_missing_fields_are_all_marked(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        for name in ("beslut_id", "person_id", "kon", "insats"):
            assert dialog.query_one(f"#f-{name}").has_class("error"), name
            assert "saknas" in text_of(dialog, f"#fel-{name}")
        assert dialog.focused is dialog.query_one("#f-beslut_id")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BeslutScreen)


async def test_new_uppdragstagare_edit_and_approve(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResurserScreen)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and dialog.title_text == "Ny uppdragstagare"
        assert dialog.query_one("#f-uppdragstagare_id").value == "U0041"  # nästa lediga id föreslås
        await pilot.press("ctrl+u")
        await type_text(pilot, "U9001")
        await pilot.press("tab")
        await type_text(pilot, "Testa Testsson")
        await pilot.press("tab")
        await choose(pilot, 2)  # Man (M)
        await pilot.press("tab")
        await type_text(pilot, "19x0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.query_one("#f-fodelsear").has_class("error")
        await pilot.press("ctrl+u")
        await type_text(pilot, "1980")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResurserScreen)
        person = next(u for u in app.register.uppdragstagare(app.today) if u.uppdragstagare_id == "U9001")
        assert person.status is Vetting.INTRESSEANMALAN and person.fodelsear == 1980
        assert "Testa Testsson" in text_of(screen, "#resurs-detalj-text")  # markerad efter sparandet

        # Ändra: Enter öppnar formuläret ifyllt; id kan inte ändras.
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and "U9001" in dialog.title_text
        assert dialog.query_one("#f-uppdragstagare_id").disabled
        assert dialog.query_one("#f-namn").value == "Testa Testsson"
        for _ in range(5):
            await pilot.press("tab")
        assert dialog.focused is dialog.query_one("#f-max_uppdrag")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        person = next(u for u in app.register.uppdragstagare(app.today) if u.uppdragstagare_id == "U9001")
        assert person.max_uppdrag == 2
        assert len(app.register.history(Entitet.UPPDRAGSTAGARE, "U9001")) == 2

        # Godkänn utan registerutdrag: felet vid fältet; med datum: godkänd.
        await pilot.press("g")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.values()["status"] == "intervju"  # nästa steg föreslås
        await choose(pilot, 3)  # ned till godkänd
        assert dialog.values()["status"] == "godkänd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#f-registerutdrag_datum").has_class("error")
        assert "registerutdrag" in text_of(dialog, "#fel-registerutdrag_datum")
        await type_text(pilot, "2026-11-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResurserScreen)
        person = next(u for u in app.register.uppdragstagare(app.today) if u.uppdragstagare_id == "U9001")
        assert person.status is Vetting.GODKAND
        assert "godkänd" in text_of(screen, "#resurs-detalj-text")


async def test_new_staff_member_on_the_personal_tab(demo_app):
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("p", "n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and dialog.title_text == "Ny anställd"
        await pilot.press("ctrl+u")
        await type_text(pilot, "P9001")
        await pilot.press("tab")
        await type_text(pilot, "Anna Anställd")
        await pilot.press("tab")
        await type_text(pilot, "E1")
        await pilot.press("tab", "tab")
        await pilot.press("ctrl+u")
        await type_text(pilot, "150")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.query_one("#f-sysselsattningsgrad").has_class("error")
        await pilot.press("ctrl+u")
        await type_text(pilot, "75")
        await pilot.press("ctrl+s")
        await settle(pilot)
        staff = next(p for p in app.register.personal(app.today) if p.personal_id == "P9001")
        assert staff.sysselsattningsgrad == 75
