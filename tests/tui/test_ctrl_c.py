"""Ctrl+C i programmet: på svenska, och ett pågående schema avbryts i stället för att gå vidare."""

from __future__ import annotations

from tests.tui.conftest import settle


async def test_ctrl_c_says_in_swedish_how_to_quit(demo_app):
    async with demo_app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        texts = [f"{n.title} {n.message}" for n in demo_app._notifications]
        assert any("Ctrl+Q" in t and "avsluta" in t.lower() for t in texts)
        assert not any("quit" in t for t in texts)
        assert demo_app.is_running


async def test_ctrl_c_cancels_a_running_solve(demo_app):
    from tui.screens.schema import SchemaScreen

    async with demo_app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(demo_app.screen, SchemaScreen)
        await pilot.press("b")
        await pilot.pause(0.5)
        running = [w for w in demo_app.workers if w.group == "schema"]
        assert running and running[0].is_running
        await pilot.press("ctrl+c")
        await demo_app.workers.wait_for_complete()
        assert running[0].is_cancelled
        texts = [f"{n.title} {n.message}" for n in demo_app._notifications]
        assert any("Schemaläggningen avbröts" in t for t in texts)
        assert demo_app.is_running
