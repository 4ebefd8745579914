"""Schema: när inga scheman kan hålla de hårda reglerna förklarar en feldialog krocken."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import settle
from tui.screens.dialogs import ErrorDialog
from tui.screens.schema import SchemaScreen


async def test_impossible_roster_explains_the_conflict_in_an_error_dialog(demo_app):
    from bemanning.roster.problem import Franvaro

    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SchemaScreen)
        # Alla frånvarande den första dagen: nattens minsta bemanning går inte att hålla.
        staff = app.register.personal(app.today)
        screen.extra_franvaro = [Franvaro(p.personal_id, 0, "sjuk") for p in staff]
        await pilot.press("tab", "tab", "1", "tab", "5", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog), screen.query_one("#schema-info").render()
        assert "Inget schema kan hålla alla hårda regler" in dialog.message
        assert any(line.startswith("- Minsta bemanning") for line in dialog.details)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.korning is None
        assert "Inget schema" in str(screen.query_one("#schema-info").render())
        assert screen.query_one("#schema-tabell", DataTable).row_count == 0
