"""Fyndet: en schemaläggare i Norr kunde välja område Söder på skärmen Schema och fick sedan det
missvisande "Lösaren hittade inget schema". Nu visas bara rollens områden, och tjänsten nekar
ett annat område med en mening om rätten, i programmet och på kommandoraden."""

from __future__ import annotations

import pytest

from bemanning.access import Anvandare, Roll
from bemanning.demo import DEMO_REFERENCE, load_demo
from bemanning.errors import UserError
from bemanning.services import schema as service
from bemanning.store import open_register


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    return db


def test_the_service_refuses_an_omrade_outside_the_role(demo_db):
    reg = open_register(demo_db)
    norr = Anvandare("bo", frozenset({Roll.SCHEMALAGGARE}), omraden=frozenset({"norr"}))
    try:
        with pytest.raises(UserError, match="planerar inte området soder"):
            service.build(service.Val(omrade="soder", veckor=1), reg, today=DEMO_REFERENCE, user=norr)
        problem = service.build(service.Val(veckor=1), reg, today=DEMO_REFERENCE, user=norr)
        assert "norr" in problem.namn
    finally:
        reg.close()


async def test_the_schema_screen_lists_only_the_roles_omraden(demo_db, tmp_path):
    from textual.widgets import Select

    from tests.tui.conftest import app_as
    from tui.screens.schema import SchemaScreen

    app = app_as(demo_db, tmp_path, 'roller = ["schemalaggare"]\nomraden = ["norr"]', today=DEMO_REFERENCE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, SchemaScreen)
        select = app.screen.query_one("#schema-omrade", Select)
        options = [value for _label, value in select._options if value is not Select.NULL]
        assert options == ["norr"]
    app.register.close()
