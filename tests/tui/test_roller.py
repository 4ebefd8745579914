"""Roller i gränssnittet: det en roll inte får se visas inte alls (issue 7)."""

from __future__ import annotations

import getpass
from datetime import date

from bemanning.config import set_config_path
from bemanning.demo import DEMO_REFERENCE, load_demo
from tui.app import create_app


async def test_a_controller_sees_only_overview_and_reports(tmp_path):
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    config = tmp_path / "bemanning.toml"
    config.write_text(f'[anvandare."{getpass.getuser()}"]\nroller = ["controller"]\n', encoding="utf-8")
    set_config_path(config)
    try:
        app = create_app(db, today=DEMO_REFERENCE)
    finally:
        set_config_path(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tabs = str(app.screen.query_one("#flikrad").render())
        assert "Rapporter" in tabs and "Beslut" not in tabs and "Resurser" not in tabs
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "oversikt"
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "rapporter"


async def test_an_account_without_a_role_gets_no_access(tmp_path):
    import pytest

    from bemanning.errors import UserError

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=date(2026, 11, 23))
    config = tmp_path / "bemanning.toml"
    config.write_text('[anvandare.nagon_annan]\nroller = ["administrator"]\n', encoding="utf-8")
    set_config_path(config)
    try:
        with pytest.raises(UserError, match="har ingen roll"):
            create_app(db)
    finally:
        set_config_path(None)
