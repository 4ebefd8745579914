"""Programmets åtgärder prövas av tjänstelagret (issue 16): en schemaläggare kan inte importera
(Ctrl+O) och inte skapa uppdragstagare, vad skärmen än erbjuder; en controller kan inte registrera
händelser på beslut."""

from __future__ import annotations

from bemanning.demo import DEMO_REFERENCE, load_demo
from bemanning.model.handelse import Entitet
from tests.tui.conftest import app_as
from tui.app import create_app
from tui.screens.dialogs import FormDialog
from tui.screens.importera import ImportDialog


def _app(tmp_path, role: str, extra: str = ""):
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    return app_as(db, tmp_path, f'roller = ["{role}"]\n{extra}', DEMO_REFERENCE)


async def test_a_schemalaggare_can_neither_import_nor_create_uppdragstagare(tmp_path):
    app = _app(tmp_path, "schemalaggare", 'omraden = ["norr"]\n')
    before = app.register.keys(Entitet.UPPDRAGSTAGARE)
    seen: list[str] = []
    app.notify = lambda message, **kw: seen.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)
        assert any("får inte importera" in m for m in seen)
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        assert any("får inte ändra uppdragstagare" in m for m in seen)
    assert app.register.keys(Entitet.UPPDRAGSTAGARE) == before
    app.register.close()


async def test_the_administrator_of_an_own_file_may_import(tmp_path):
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    app = create_app(db, today=DEMO_REFERENCE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
    app.register.close()


async def test_a_schemalaggare_sees_no_beslut_figures_on_oversikt(tmp_path):
    from tui.screens.oversikt import Ruta

    app = _app(tmp_path, "schemalaggare", 'omraden = ["norr"]\n')
    (tmp_path / "admin").mkdir()
    admin = _app(tmp_path / "admin", "administrator")
    shown = {}
    for name, a in (("schema", app), ("admin", admin)):
        async with a.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await a.workers.wait_for_complete()
            await pilot.pause()
            shown[name] = str(a.screen.query_one("#ruta-oppna", Ruta).render())
        a.register.close()
    assert "av 0 beslut" in shown["schema"]
    assert "av 0 beslut" not in shown["admin"]
