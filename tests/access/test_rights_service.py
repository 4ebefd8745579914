"""Tjänstelagrets prövning av rätter (bemanning/services/rights.py) och hjälpen som bara visar det
en roll får göra. PostgreSQL-vägen (servern säger vem man är) prövas i tests/postgres/test_pg_rights.py."""

from __future__ import annotations

import pytest

from bemanning.access import Anvandare, Roll
from bemanning.cli import main
from bemanning.config import set_config_path
from bemanning.errors import UserError
from bemanning.services import rights
from bemanning.services.rights import COMMAND_ACTIONS, Atgard
from bemanning.store import open_register


def _user(role: Roll) -> Anvandare:
    return Anvandare("x", frozenset({role}), frozenset({"HT-NORR"}), frozenset({"norr"}))


@pytest.mark.parametrize(("role", "action", "allowed"), [
    (Roll.SCHEMALAGGARE, Atgard.IMPORTERA, False),
    (Roll.SCHEMALAGGARE, Atgard.ANDRA_UPPDRAGSTAGARE, False),
    (Roll.SCHEMALAGGARE, Atgard.ANDRA_SCHEMA, True),
    (Roll.SCHEMALAGGARE, Atgard.SE_BESLUT, False),
    (Roll.ENHETSCHEF, Atgard.ANDRA_SCHEMA, False),
    (Roll.ENHETSCHEF, Atgard.REGISTRERA_HANDELSE, True),
    (Roll.CONTROLLER, Atgard.SE_RAPPORTER, True),
    (Roll.CONTROLLER, Atgard.REGISTRERA_HANDELSE, False),
    (Roll.ADMINISTRATOR, Atgard.HANTERA_BEHORIGHET, True),
    (Roll.ADMINISTRATOR, Atgard.GRANSKA_LOGGNING, False),
    (Roll.GRANSKARE, Atgard.GRANSKA_LOGGNING, True),
    (Roll.GRANSKARE, Atgard.SE_BESLUT, False),
])
def test_one_rule_decides_each_action(role, action, allowed):
    user = _user(role)
    assert rights.may_do(user, action) is allowed
    if not allowed:
        with pytest.raises(UserError, match=f"får inte {action.value}"):
            rights.require(user, action)


def test_every_command_that_needs_a_right_names_an_action():
    for command in ("importera", "exportera", "db", "beslut", "historik", "registrera", "matcha", "schema",
                    "rapport", "behorighet"):
        assert command in COMMAND_ACTIONS


def test_the_owner_of_an_own_file_is_administrator(tmp_path):
    reg = open_register(tmp_path / "r.sqlite")
    try:
        assert rights.current_user(reg, {}).is_admin
    finally:
        reg.close()


@pytest.fixture
def no_config_left():
    yield
    set_config_path(None)  # --config gäller resten av processen


def test_help_lists_only_the_commands_the_role_may_run(tmp_path, capsys, no_config_left):
    import getpass

    db = tmp_path / "r.sqlite"
    open_register(db).close()
    config = tmp_path / "roller.toml"
    config.write_text(f'[anvandare."{getpass.getuser()}"]\nroller = ["controller"]\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--db", str(db), "--config", str(config), "--help"])
    shown = capsys.readouterr().out
    assert "rapport " in shown
    for hidden in ("importera", "registrera", "behorighet", "matcha"):
        assert f"    {hidden} " not in shown
    set_config_path(None)
    with pytest.raises(SystemExit):
        main(["--db", str(db), "--help"])  # ägaren av en egen fil: allt
    shown = capsys.readouterr().out
    assert "    importera " in shown and "    behorighet " in shown


def test_behorighet_is_refused_on_an_own_file_with_a_sentence(tmp_path, capsys):
    db = tmp_path / "r.sqlite"
    open_register(db).close()
    assert main(["--db", str(db), "behorighet", "lagg-till", "anna", "--roll", "enhetschef"]) == 1
    assert "gemensamt register" in capsys.readouterr().err
