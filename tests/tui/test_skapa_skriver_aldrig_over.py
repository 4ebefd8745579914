"""Fyndet från prövningen som ny användare: en schemaläggare (område norr) fick "Ny person" med ett
id som redan fanns i söder, och sparandet ersatte den personens uppgifter. Nu föreslås ett id som
inte finns någonstans i registret, och registret vägrar ett id som redan finns."""

from __future__ import annotations

from bemanning.model.handelse import Entitet
from tests.tui.conftest import TODAY, app_as, settle, type_text
from tui.app import create_app
from tui.screens.dialogs import FormDialog
from tui.screens.resurser import ResurserScreen


async def test_a_new_person_never_overwrites_someone_the_user_cannot_see(demo_db, tmp_path):
    app = app_as(demo_db, tmp_path, 'roller = ["schemalaggare"]\nomraden = ["norr"]')
    before = app.register.history(Entitet.PERSONAL, "P0057")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResurserScreen)
        await pilot.press("p")
        await settle(pilot)
        assert all(p.enhet != "HT-SODER" for p in screen.personal), "schemaläggaren i norr ser inte söder"
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        suggested = dialog.query_one("#f-personal_id").value
        assert suggested not in app.register.keys(Entitet.PERSONAL)
        await pilot.press("ctrl+u")
        await type_text(pilot, "P0057")
        await pilot.press("tab")
        await type_text(pilot, "Ny Person")
        await pilot.press("tab")
        await type_text(pilot, "HT-NORR")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog, "formuläret står kvar med felet"
        assert dialog.query_one("#f-personal_id").has_class("error")
    app.register.close()
    after = create_app(demo_db, today=TODAY)
    try:
        assert after.register.history(Entitet.PERSONAL, "P0057") == before
    finally:
        after.register.close()
