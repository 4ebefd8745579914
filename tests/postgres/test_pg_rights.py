"""Rättigheter som databasen själv håller (issue 16), prövade på tre vägar för varje roll:

- direkt SQL med rollens egen inloggning (servern nekar),
- tjänstelagret som programmet använder (`bemanning.services.rights` och registret),
- kommandoraden (`bemanning …`, också med en inställningsfil som påstår att alla är administratörer).

Varje test får ett eget schema och egna inloggningar (tas bort efteråt). Utan PostgreSQL hoppas
testerna över med orsaken (se conftest.py).
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from bemanning.access import Roll
from bemanning.cli import main
from bemanning.errors import UserError
from bemanning.io.forms import parse_form
from bemanning.io.importer import import_files
from bemanning.services import rights
from bemanning.services.rights import Atgard
from bemanning.store import open_register, recording
from bemanning.store.register import OPPNAT_BESLUT

PER = date(2026, 3, 1)
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"

#: inloggningens namn (utan prefix) → (roller, enheter, områden)
PEOPLE = {
    "anna": (["enhetschef"], ["HT-NORR"], []),
    "bo": (["schemalaggare"], [], ["norr"]),
    "cecilia": (["controller"], [], []),
    "dan": (["administrator"], [], []),
    "greta": (["granskare"], [], []),
    "nils": ([], [], []),  # inloggning utan roll
}
ROLE_OF = {"anna": Roll.ENHETSCHEF, "bo": Roll.SCHEMALAGGARE, "cecilia": Roll.CONTROLLER,
           "dan": Roll.ADMINISTRATOR, "greta": Roll.GRANSKARE}


class Shared:
    """Ett gemensamt register med demodata, beslut i två enheter och en inloggning per roll."""

    def __init__(self, owner_url: str, prefix: str) -> None:
        self.owner_url = owner_url
        self.prefix = prefix

    def login(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def url(self, name: str) -> str:
        return make_url(self.owner_url).set(username=self.login(name)).render_as_string(hide_password=False)

    def sql(self, name: str, statement: str, **params):
        """Kör en sats som inloggningen, i en egen transaktion; returnerar raderna."""
        engine = create_engine(self.url(name))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


@pytest.fixture
def shared(pg_schema: str):
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    owner = create_engine(pg_schema)
    with owner.begin() as conn:
        for name in PEOPLE:
            conn.execute(text(f'CREATE ROLE "{prefix}{name}" LOGIN'))
    try:
        reg = open_register(pg_schema, user="agaren")
        try:
            import_files(reg, [DEMO / f"{n}.csv" for n in ("omraden", "enheter", "personal", "uppdragstagare")],
                         today=PER)
            for beslut_id, person, enhet in (("E-1", "P-1", "HT-NORR"), ("E-2", "P-2", "HT-NORR"),
                                             ("E-3", "P-3", "HT-SODER")):
                form = {"beslut_id": beslut_id, "person_id": person, "kon": "K", "insats": "SoL – kontaktperson",
                        "beslutsdatum": "2026-01-05", "enhet": enhet}
                recording.record_beslut(reg, parse_form("beslut", form, today=PER).value)
            for name, (roles, units, areas) in PEOPLE.items():
                for role in roles:
                    assert reg.set_behorighet(prefix + name, "roll", role, add=True)
                for unit in units:
                    reg.set_behorighet(prefix + name, "enhet", unit, add=True)
                for area in areas:
                    reg.set_behorighet(prefix + name, "omrade", area, add=True)
        finally:
            reg.close()
        yield Shared(pg_schema, prefix)
    finally:  # inloggningarna finns i hela servern: de tas bort också när förberedelsen misslyckas
        with owner.begin() as conn:
            for name in PEOPLE:
                conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}{name}"'))
        owner.dispose()


def _refused(shared: Shared, name: str, statement: str, **params) -> bool:
    try:
        shared.sql(name, statement, **params)
    except DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", "")
        if name == "nils":  # utan roll når inloggningen inte ens schemat: tabellen finns inte för hen
            return state in ("42501", "42P01", "42883")
        return state == "42501"  # otillräcklig behörighet eller radsäkerhet
    except UserError:  # registrets översättning av 42501
        return True
    return False


# -- direkt SQL med rollens egen inloggning ------------------------------------------------------------


def test_an_enhetschef_cannot_select_another_units_beslut_in_sql(shared):
    seen = shared.sql("anna", "SELECT DISTINCT nyckel FROM handelse WHERE entitet = 'beslut' ORDER BY 1")
    assert [r[0] for r in seen] == ["E-1", "E-2"]
    assert shared.sql("anna", "SELECT count(*) FROM handelse WHERE nyckel = 'E-3'")[0][0] == 0
    assert shared.sql("anna", "SELECT DISTINCT beslut_id FROM beslut_lage ORDER BY 1") == [("E-1",), ("E-2",)]
    people = shared.sql("anna", "SELECT DISTINCT nyckel FROM handelse WHERE entitet = 'enskild' ORDER BY 1")
    assert [r[0] for r in people] == ["P-1", "P-2"]
    staff_units = shared.sql("anna", "SELECT DISTINCT data::jsonb ->> 'enhet' FROM handelse "
                                     "WHERE entitet = 'personal' AND typ = 'registrerad'")
    assert {r[0] for r in staff_units} == {"HT-NORR"}
    # administratören ser alla
    assert shared.sql("dan", "SELECT count(DISTINCT nyckel) FROM handelse WHERE entitet = 'beslut'")[0][0] == 3


def test_a_schemalaggare_sees_the_staff_of_the_omrade_and_no_beslut_in_sql(shared):
    assert shared.sql("bo", "SELECT count(*) FROM handelse WHERE entitet IN ('beslut', 'enskild')")[0][0] == 0
    units = {r[0] for r in shared.sql("bo", "SELECT DISTINCT data::jsonb ->> 'enhet' FROM handelse "
                                            "WHERE entitet = 'personal' AND typ = 'registrerad'")}
    assert units and "HT-SODER" not in units
    assert shared.sql("bo", "SELECT count(*) FROM beslut_lage")[0][0] == 0


def test_a_controller_reads_beslut_for_the_reports_but_no_staff_and_a_granskare_reads_no_register_rows(shared):
    kinds = {r[0] for r in shared.sql("cecilia", "SELECT DISTINCT entitet FROM handelse")}
    assert kinds == {"beslut", "enskild", "enhet", "omrade"}
    assert shared.sql("greta", "SELECT count(*) FROM handelse")[0][0] == 0


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "dan", "greta", "nils"])
def test_no_role_can_rewrite_or_insert_into_the_access_log_in_sql(shared, name):
    assert _refused(shared, name, "UPDATE loggning SET anvandare = 'ingen'")
    assert _refused(shared, name, "DELETE FROM loggning")
    assert _refused(shared, name, "INSERT INTO loggning (tidpunkt, anvandare, atgard, antal, detalj) "
                                  "VALUES (now(), 'falsk', 'x', 1, '')")


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "greta"])
def test_no_role_reads_another_units_data_through_the_helper_functions(shared, name):
    # funktionerna som policyerna använder svarar bara för den som frågar, och den som läser vilken
    # post som helst går inte att anropa
    assert _refused(shared, name, "SELECT bemanning_post_falt('beslut', 'E-3', 'person_id')")
    if name != "anna":
        assert shared.sql(name, "SELECT bemanning_synliga('enskild')") == [([],)]
    else:
        assert shared.sql(name, "SELECT bemanning_synliga('enskild')")[0][0] == ["P-1", "P-2"]
    if name in ("cecilia", "greta"):
        assert _refused(shared, name, "SELECT bemanning_finns('enskild', ARRAY['P-3'])")


def test_the_server_sets_the_registration_time(shared):
    shared.sql("anna", "INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                       "VALUES ('beslut', 'E-1', 'verkstallt', '2026-02-01', '2001-01-01', 'sql', '{}')")
    year = shared.sql("dan", "SELECT extract(year FROM registrerad) FROM handelse WHERE kalla = 'sql'")
    assert year and year[0][0] > 2001


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "greta", "nils"])
def test_only_an_administrator_may_write_another_units_beslut_in_sql(shared, name):
    statement = ("INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                 "VALUES ('beslut', 'E-3', 'verkstallt', '2026-02-01', now(), 'sql', '{}')")
    assert _refused(shared, name, statement)


def test_an_enhetschef_writes_her_own_units_beslut_but_not_a_new_one_elsewhere_in_sql(shared):
    shared.sql("anna", "INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                       "VALUES ('beslut', 'E-1', 'verkstallt', '2026-02-01', now(), 'sql', '{}')")
    assert _refused(shared, "anna", "INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                                    "VALUES ('beslut', 'E-9', 'registrerad', '2026-02-01', now(), 'sql', "
                                    "'{\"enhet\": \"HT-SODER\"}')")
    # ändringen loggades av servern, fast klienten (psql) inte loggade något själv
    logged = shared.sql("greta", "SELECT atgard, beslut_id FROM loggning WHERE anvandare = :login",
                        login=shared.login("anna"))
    assert logged == [("andrat", "E-1")]
    # och en rättelse som flyttar hennes beslut till en annan enhet
    assert _refused(shared, "anna", "INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                                    "VALUES ('beslut', 'E-1', 'korrigerad', '2026-02-01', now(), 'sql', "
                                    "'{\"falt\": {\"enhet\": {\"fran\": \"HT-NORR\", \"till\": \"HT-SODER\"}}}')")


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "dan", "nils"])
def test_only_the_granskare_reads_the_access_log_in_sql(shared, name):
    assert _refused(shared, name, "SELECT count(*) FROM loggning")
    assert shared.sql("greta", "SELECT count(*) FROM loggning")[0][0] > 0


def test_the_server_writes_the_log_with_the_login_whatever_the_client_claims(shared):
    shared.sql("anna", "SELECT bemanning_logga('oppnat_beslut', 'E-1', NULL, NULL, 1, '', 'någon-annan')")
    rows = shared.sql("greta", "SELECT anvandare FROM loggning WHERE atgard = 'oppnat_beslut'")
    assert rows == [(shared.login("anna"),)]


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "greta", "nils"])
def test_only_an_administrator_hands_out_roles_in_sql(shared, name):
    assert _refused(shared, name, "SELECT bemanning_ge_roll(:login, 'administrator')", login=shared.login(name))
    assert _refused(shared, name, "INSERT INTO behorighet VALUES (:login, 'enhet', 'HT-SODER')",
                    login=shared.login(name))
    assert _refused(shared, name, f'GRANT bemanning_administrator TO "{shared.login(name)}"')


# -- tjänstelagret (programmets väg) ------------------------------------------------------------------

MATRIX = {
    # åtgärd: roller som får
    Atgard.IMPORTERA: {"dan"},
    Atgard.SE_BESLUT: {"anna", "dan"},
    Atgard.REGISTRERA_HANDELSE: {"anna", "dan"},
    Atgard.MATCHA: {"anna", "dan"},
    Atgard.ANDRA_SCHEMA: {"bo", "dan"},
    Atgard.SE_RAPPORTER: {"anna", "cecilia", "dan"},
    Atgard.ANDRA_UPPDRAGSTAGARE: {"anna", "dan"},
    Atgard.HANTERA_BEHORIGHET: {"dan"},
    Atgard.GRANSKA_LOGGNING: {"greta"},
}


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "dan", "greta"])
def test_the_service_layer_takes_the_roles_from_the_server(shared, name, monkeypatch, tmp_path):
    everyone_admin = tmp_path / "alla.toml"
    everyone_admin.write_text(f'[anvandare.{shared.login(name)}]\nroller = ["administrator"]\n', encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(everyone_admin))
    reg = open_register(shared.url(name))
    try:
        user = rights.current_user(reg)
        assert user.namn == shared.login(name)
        assert user.roller == frozenset({ROLE_OF[name]})  # inställningsfilen gav inget
        for action, allowed in MATRIX.items():
            assert rights.may_do(user, action) == (name in allowed), action
            if name not in allowed:
                with pytest.raises(UserError, match="får inte"):
                    rights.require(user, action)
    finally:
        reg.close()


def test_a_login_without_a_role_gets_nothing(shared):
    with pytest.raises(UserError):
        reg = open_register(shared.url("nils"))
        rights.current_user(reg)


@pytest.mark.parametrize("name", ["bo", "cecilia", "greta"])
def test_the_server_refuses_a_beslut_event_even_when_the_client_skips_the_check(shared, name):
    reg = open_register(shared.url(name))
    try:
        # schemaläggaren och granskaren ser inte beslutet alls; controllern läser det men nekas att skriva
        with pytest.raises(UserError, match="nekade" if name == "cecilia" else "finns inte"):
            recording.record_verkstallt(reg, "E-1", date(2026, 2, 1))
    finally:
        reg.close()
    assert shared.sql("dan", "SELECT count(*) FROM handelse WHERE nyckel = 'E-1' AND typ = 'verkstallt'")[0][0] == 0


def test_an_enhetschef_records_in_her_unit_and_is_refused_in_another(shared):
    reg = open_register(shared.url("anna"))
    try:
        recording.record_verkstallt(reg, "E-1", date(2026, 2, 1))
        with pytest.raises(UserError):
            recording.record_verkstallt(reg, "E-3", date(2026, 2, 1))
        assert {x.beslut_id for x in reg.beslut_lagen(PER)} == {"E-1", "E-2"}
        reg.log_access(OPPNAT_BESLUT, beslut_id="E-1")
    finally:
        reg.close()
    rows = shared.sql("greta", "SELECT anvandare, atgard, beslut_id FROM loggning "
                               "WHERE anvandare = :login ORDER BY id", login=shared.login("anna"))
    assert [(r[1], r[2]) for r in rows] == [("andrat", "E-1"), (OPPNAT_BESLUT, "E-1")]
    # projektionen fördes i samma transaktion, med enhetschefens egna rättigheter
    status = shared.sql("dan", "SELECT status FROM beslut_lage WHERE beslut_id = 'E-1' ORDER BY giltig_fran DESC LIMIT 1")
    assert status[0][0] != "ej verkställt"


def test_creating_a_beslut_with_an_id_hidden_from_the_user_is_still_refused(shared):
    reg = open_register(shared.url("anna"))
    try:
        form = {"beslut_id": "E-3", "person_id": "P-9", "kon": "K", "insats": "SoL – kontaktperson",
                "beslutsdatum": "2026-01-05", "enhet": "HT-NORR"}
        with pytest.raises(UserError, match="finns redan"):
            recording.record_beslut(reg, parse_form("beslut", form, today=PER).value)
    finally:
        reg.close()


# -- kommandoraden ----------------------------------------------------------------------------------


@pytest.mark.parametrize("config", ["/dev/null", "alla-admin"])
def test_the_cli_refuses_a_controller_whatever_the_config_says(shared, config, tmp_path, capsys):
    if config == "alla-admin":
        path = tmp_path / "alla.toml"
        path.write_text(f'[anvandare.{shared.login("cecilia")}]\nroller = ["administrator"]\n', encoding="utf-8")
        config = str(path)
    code = main(["--db", shared.url("cecilia"), "--config", config,
                 "registrera", "verkstallt", "E-1", "--datum", "2026-02-01"])
    assert code == 1
    assert "får inte" in capsys.readouterr().err
    assert shared.sql("dan", "SELECT count(*) FROM handelse WHERE typ = 'verkstallt'")[0][0] == 0


@pytest.mark.parametrize(("name", "argv", "allowed"), [
    ("anna", ["beslut", "--per", "2026-03-01"], True),
    ("anna", ["historik", "E-3"], False),  # finns inte för henne: servern visar inte beslutet
    ("anna", ["registrera", "verkstallt", "E-3", "--datum", "2026-02-01"], False),
    ("bo", ["beslut"], False),
    ("cecilia", ["rapport", "manad", "--datum", "2026-02-28"], True),
    ("cecilia", ["importera", str(DEMO / "beslut.csv")], False),
    ("greta", ["beslut"], False),
    ("dan", ["behorighet", "lista"], True),
    ("anna", ["behorighet", "lista"], False),
    ("bo", ["behorighet", "lagg-till", "x", "--roll", "administrator"], False),
])
def test_cli_matrix(shared, name, argv, allowed, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # rapporter skrivs i arbetskatalogen
    code = main(["--db", shared.url(name), "--config", "/dev/null", *argv])
    captured = capsys.readouterr()
    assert (code == 0) == allowed, captured.err
    if not allowed:
        assert code == 1 and "Traceback" not in captured.err


def test_the_administrator_hands_out_a_role_with_the_cli(shared, capsys):
    code = main(["--db", shared.url("dan"), "behorighet", "lagg-till", shared.login("nils"),
                 "--roll", "enhetschef", "--enhet", "HT-SODER"])
    assert code == 0, capsys.readouterr().err
    seen = shared.sql("nils", "SELECT DISTINCT nyckel FROM handelse WHERE entitet = 'beslut'")
    assert [r[0] for r in seen] == ["E-3"]
    assert main(["--db", shared.url("dan"), "behorighet", "lista"]) == 0
    listing = capsys.readouterr().out
    assert shared.login("nils") in listing and "HT-SODER" in listing


# -- programmet (samma tjänstelager) på ett gemensamt register ---------------------------------------


@pytest.mark.parametrize("name", ["anna", "bo", "cecilia", "dan", "greta"])
async def test_the_app_opens_for_each_role_and_shows_only_what_the_server_lets_it_read(shared, name):
    from tui.app import SKARMAR, create_app

    app = create_app(shared.url(name), today=PER)
    errors: list[str] = []
    original = app.notify

    def notify(message, *args, severity="information", **kwargs):
        if severity == "error":
            errors.append(message)
        return original(message, *args, severity=severity, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    try:
        assert app.user.roller == frozenset({ROLE_OF[name]})
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            for mode, _title, key, _cls in SKARMAR:
                await pilot.press(key)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert (app.current_mode == mode) == app.may_see(mode)
            assert app._exception is None
        assert errors == []
    finally:
        app.register.close()


async def test_the_administrator_hands_out_a_role_on_the_behorighet_screen(shared):
    from textual.widgets import DataTable, Input

    from tui.app import create_app
    from tui.screens.behorighet import BehorighetScreen
    from tui.screens.dialogs import FormDialog

    app = create_app(shared.url("dan"), today=PER)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            app.action_behorighet()
            await pilot.pause()
            assert isinstance(app.screen, BehorighetScreen)
            shown = {str(app.screen.query_one(DataTable).get_row_at(i)[0])
                     for i in range(app.screen.query_one(DataTable).row_count)}
            assert shared.login("anna") in shown
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            app.screen.query_one("#f-anvandare", Input).value = shared.login("nils")
            app.screen.query_one("#f-varde", Input).value = "granskare"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, BehorighetScreen)
    finally:
        app.register.close()
    assert shared.sql("nils", "SELECT count(*) FROM loggning")[0][0] > 0  # granskaren läser loggningen


async def test_the_behorighet_screen_is_refused_to_an_enhetschef(shared):
    from tui.app import create_app
    from tui.screens.behorighet import BehorighetScreen

    app = create_app(shared.url("anna"), today=PER)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            app.action_behorighet()
            await pilot.pause()
            assert not isinstance(app.screen, BehorighetScreen)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Behörigheter" not in titles
    finally:
        app.register.close()


def test_the_granskare_reads_the_access_log_through_the_register_and_the_reading_is_logged(shared):
    reg = open_register(shared.url("greta"))
    try:
        user = rights.current_user(reg)
        rows = reg.access_log(user)
        assert rows and all("anvandare" in r for r in rows)
        again = reg.access_log(user)
        assert again[-1]["atgard"] == "last_loggning" and again[-1]["anvandare"] == shared.login("greta")
    finally:
        reg.close()


def test_only_the_owner_migrates_a_shared_register(shared, capsys):
    owner = create_engine(shared.owner_url)
    with owner.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))  # som före uppgraderingen
    owner.dispose()
    with pytest.raises(UserError, match="migreras av databasens ägare"):
        open_register(shared.url("dan"))
    assert main(["--db", shared.url("anna"), "beslut"]) == 1
    assert "bemanning db migrera" in capsys.readouterr().err


def test_a_forged_overview_row_gives_no_access_and_changes_no_report_in_sql(shared):
    """Anna (enhetschef i HT-NORR) lägger med psql in en rad i översikten (projektionen) som säger att
    HT-SODER:s beslut E-3 hör till hennes enhet, och en som säger att hennes eget E-1 är verkställt.
    Översikten skrivs bara i samma transaktion som en händelse för samma beslut: båda vägras, och
    hon ser fortfarande inte E-3 eller dess enskilde."""
    forged = ("INSERT INTO beslut_lage (beslut_id, giltig_fran, giltig_till, insats, beslutsdatum, enhet, "
              "person_id, status, vantar_avbrott, har_person, antal_erbjudanden, forslag_vantar) VALUES "
              "(:id, '2026-01-05', '9999-12-31', 'SoL – kontaktperson', '2026-01-05', 'HT-NORR', :person, "
              ":status, 0, 0, 0, 0)")
    assert _refused(shared, "anna", forged, id="E-3", person="P-3", status="ej verkställt")
    assert shared.sql("anna", "SELECT count(*) FROM handelse WHERE nyckel IN ('E-3', 'P-3')")[0][0] == 0
    assert _refused(shared, "anna", forged, id="E-1", person="P-1", status="verkställt")
    assert shared.sql("dan", "SELECT status FROM beslut_lage WHERE beslut_id = 'E-1'") == [("ej verkställt",)]
    # en borttagning utan händelse tar inget
    shared.sql("anna", "DELETE FROM beslut_lage WHERE beslut_id = 'E-1'")
    assert shared.sql("dan", "SELECT count(*) FROM beslut_lage WHERE beslut_id = 'E-1'")[0][0] == 1
    # och programmets egen väg (en händelse och dess översikt i samma transaktion) fungerar som förut
    reg = open_register(shared.url("anna"))
    try:
        recording.record_verkstallt(reg, "E-1", date(2026, 2, 1))
    finally:
        reg.close()
    assert shared.sql("dan", "SELECT status FROM beslut_lage WHERE beslut_id = 'E-1' "
                             "AND giltig_till = '9999-12-31'") == [("verkställt",)]


def test_db_kontrollera_finds_an_event_written_in_sql_without_its_overview(shared, capsys):
    """Anna får föra in en händelse för sitt eget beslut med psql, men då utan översikt: ägarens
    `bemanning db kontrollera` pekar ut beslutet, och `db bygg-om` lagar det."""
    shared.sql("anna", "INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                       "VALUES ('beslut', 'E-2', 'verkstallt', '2026-02-01', now(), 'sql', '{}')")
    assert main(["--db", shared.owner_url, "db", "kontrollera"]) == 1
    out = capsys.readouterr().out
    assert "för 1 beslut" in out and "E-2" in out
    assert main(["--db", shared.owner_url, "db", "bygg-om"]) == 0
    assert main(["--db", shared.owner_url, "db", "kontrollera"]) == 0
    assert shared.sql("dan", "SELECT status FROM beslut_lage WHERE beslut_id = 'E-2' "
                             "AND giltig_till = '9999-12-31'") == [("verkställt",)]
