"""Ett befintligt besluts önskemål ändras från Beslut-skärmen (issue 6): samma formulär och samma
kontroller vid fälten som för ett nytt beslut, ändringen daterad i historiken, matchningen läser
det nya, och den som sparar på ett inaktuellt läge skriver inte över någon annan."""

from __future__ import annotations

from textual.widgets import Input, Static

from bemanning.matching.arende import build_arende
from bemanning.matching.settings import Settings
from bemanning.model import Entitet, HandelseTyp
from bemanning.reports.installningar import load_installningar
from bemanning.store import recording
from tests.tui.conftest import TODAY, settle, type_text
from tui.screens.beslut import BeslutScreen
from tui.screens.dialogs import FormDialog

BESLUT = "DEMO-0032"  # önskemål i demodatan: kön K, intressen djur och friluftsliv, kväll och vardag, 20 km


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open_form(pilot) -> FormDialog:
    app = pilot.app
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(app.screen, BeslutScreen)
    await pilot.press("slash")
    await type_text(pilot, BESLUT)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("o")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    return dialog


async def _go_to(pilot, dialog: FormDialog, name: str) -> None:
    for _ in range(len(dialog.fields)):
        if dialog.focused is dialog.query_one(f"#f-{name}"):
            return
        await pilot.press("tab")
    raise AssertionError(f"fältet {name} nås inte med Tab")


async def test_change_a_wish_with_validation_at_the_field_then_saved_in_history_and_matching(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_form(pilot)
        assert BESLUT in dialog.title_text
        # ifyllt med beslutets nuvarande värden
        assert dialog.query_one("#f-intressen", Input).value == "djur, friluftsliv"
        assert dialog.query_one("#f-tider", Input).value == "kväll, vardag"
        assert dialog.query_one("#f-max_avstand_km", Input).value == "20"
        assert dialog.query_one("#f-datum", Input).value == TODAY.isoformat()
        events_before = app.register.last_event_id()

        await _go_to(pilot, dialog, "onskat_sprak")
        await type_text(pilot, "arabiska")
        await _go_to(pilot, dialog, "max_avstand_km")
        await pilot.press("ctrl+u")
        await type_text(pilot, "-5")
        await _go_to(pilot, dialog, "datum")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-01-01")  # före beslutsdatum 2025-06-26
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # inget sparat
        assert app.register.last_event_id() == events_before
        assert dialog.query_one("#f-max_avstand_km").has_class("error")
        assert "mindre än 0" in text_of(dialog, "#fel-max_avstand_km")
        assert not dialog.query_one("#f-onskat_sprak").has_class("error")

        await _go_to(pilot, dialog, "max_avstand_km")
        await pilot.press("ctrl+u")
        await type_text(pilot, "15")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#f-datum").has_class("error")  # kärnans kontroll, vid fältet
        assert "före beslutsdatum" in text_of(dialog, "#fel-datum")
        assert app.register.last_event_id() == events_before

        await _go_to(pilot, dialog, "datum")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-11-20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BeslutScreen)
        detail = text_of(app.screen, "#detalj-text")
        assert "språk arabiska (önskemål)" in detail and "högst 15 km" in detail
        assert "2026-11-20  Ändring: högst km bort 20 → 15, önskat språk (tomt) → arabiska" in detail

    history = app.register.history(Entitet.BESLUT, BESLUT)
    assert history[-1].typ is HandelseTyp.ANDRAD and history[-1].datum.isoformat() == "2026-11-20"
    lage = app.register.beslut_lage(BESLUT, TODAY)
    arende = build_arende(lage, Settings(), load_installningar().regel, bara_personal=False)
    assert arende.sprak == "arabiska" and arende.max_avstand_km == 15
    assert arende.intressen == frozenset({"djur", "friluftsliv"})  # det som inte ändrades är kvar
    before = app.register.beslut_lage(BESLUT, TODAY.replace(day=19))
    assert before.beslut.onskemal.sprak is None and before.beslut.onskemal.max_avstand_km == 20


async def test_a_save_after_someone_else_saved_gives_the_conflict_message_and_keeps_the_input(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_form(pilot)
        await _go_to(pilot, dialog, "onskat_sprak")
        await type_text(pilot, "arabiska")
        # någon annan sparar ett erbjudande för samma beslut medan formuläret är öppet
        recording.record_erbjudande(app.register, BESLUT, TODAY, "tackat nej")
        last = app.register.last_event_id()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "ändrades av någon annan" in text_of(dialog, "#form-fel")
        assert dialog.query_one("#f-onskat_sprak", Input).value == "arabiska"  # uppgifterna finns kvar
        assert app.register.last_event_id() == last
        assert app.register.beslut_lage(BESLUT, TODAY).beslut.onskemal.sprak is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BeslutScreen)


async def test_saving_an_unchanged_form_adds_nothing(demo_app):
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_form(pilot)
        last = app.register.last_event_id()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BeslutScreen)
        assert app.register.last_event_id() == last
        assert any("inget ändrat" in n.message for n in app._notifications)
