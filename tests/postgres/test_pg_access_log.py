"""Loggningen: varje ändring och öppning med användare, tid och åtgärd; aldrig personnummer; bara för granskare."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from bemanning.access import Anvandare, Roll
from bemanning.errors import UserError
from bemanning.io.forms import parse_form
from bemanning.io.importer import import_files
from bemanning.store import recording
from bemanning.store.register import MASSANDRING, OPPNAT_BESLUT, OPPNAT_HISTORIK

GRANSKARE = Anvandare("revisor", frozenset({Roll.GRANSKARE}))
CHEF = Anvandare("anna", frozenset({Roll.ENHETSCHEF}), frozenset({"HT-NORR"}))
PNR = "19121212-1212"


def test_changes_and_openings_are_logged_with_user_and_beslut_id(reg, demo_files):
    import_files(reg, demo_files, today=date(2026, 11, 23))
    recording.record_erbjudande(reg, "DEMO-0032", date(2026, 11, 24), "tackat nej", kandidat="U0001")
    reg.log_access(OPPNAT_BESLUT, beslut_id="DEMO-0032")
    reg.log_access(OPPNAT_HISTORIK, beslut_id="DEMO-0032")
    rows = reg.access_log(GRANSKARE, beslut_id="DEMO-0032")
    assert [(r["anvandare"], r["atgard"], r["beslut_id"]) for r in rows] == [
        ("testare", "andrat", "DEMO-0032"),
        ("testare", OPPNAT_BESLUT, "DEMO-0032"),
        ("testare", OPPNAT_HISTORIK, "DEMO-0032"),
    ]
    assert all(r["tidpunkt"] is not None for r in rows)
    everything = reg.access_log(GRANSKARE)
    assert everything[0]["atgard"] == MASSANDRING  # importen är en rad, inte en per beslut
    assert everything[-1]["atgard"] == "last_loggning"  # att läsa loggningen loggas också


def test_personnummer_never_reaches_the_log(reg):
    form = {"beslut_id": "B-1", "person_id": PNR, "kon": "K", "insats": "SoL – kontaktperson",
            "beslutsdatum": "2026-01-05"}
    recording.record_beslut(reg, parse_form("beslut", form, today=date(2026, 3, 1)).value)
    recording.record_rattelse(reg, "B-1", "kon", "M", date(2026, 2, 1))
    reg.log_access(OPPNAT_BESLUT, beslut_id=PNR, detalj=f"sökte på {PNR} och 121212-1212")
    with reg.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM loggning")) for v in row)
    assert "1212" not in dump.replace("B-1", "")
    assert "B-1" in dump


def test_only_an_auditor_reads_the_log(reg):
    reg.log_access(OPPNAT_BESLUT, beslut_id="B-1")
    with pytest.raises(UserError, match="får inte läsa loggningen"):
        reg.access_log(CHEF)
    admin = Anvandare("admin", frozenset({Roll.ADMINISTRATOR}))
    with pytest.raises(UserError):
        reg.access_log(admin)
    assert len(reg.access_log(GRANSKARE)) == 1


def test_the_log_cannot_be_rewritten(reg):
    reg.log_access(OPPNAT_BESLUT, beslut_id="B-1")
    for statement in ("UPDATE loggning SET anvandare = 'ingen'", "DELETE FROM loggning"):
        with pytest.raises(DatabaseError, match="Loggningen får inte skrivas om"):
            with reg.engine.begin() as conn:
                conn.execute(text(statement))


def test_a_user_who_prepares_the_logs_temporary_tables_cannot_write_past_the_log(pg_schema):
    """En inloggning som själv skapar loggningens tillfälliga tabeller (utan utlösaren som skriver
    loggen vid COMMIT) innan den skriver, skulle annars skriva utan att det loggas: skrivningen vägras."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from bemanning.store.register import open_register

    login = f"t{uuid.uuid4().hex[:8]}_anna"
    owner = create_engine(pg_schema)
    with owner.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
    try:
        reg = open_register(pg_schema, user="agaren")
        try:
            assert reg.set_behorighet(login, "roll", "administrator", add=True)
        finally:
            reg.close()
        engine = create_engine(make_url(pg_schema).set(username=login).render_as_string(hide_password=False))
        try:
            with pytest.raises(DBAPIError) as refused, engine.begin() as conn:
                conn.execute(text("CREATE TEMP TABLE bemanning_logg_poster (vem text, beslut_id text, "
                                  "entitet text, nyckel text, kalla text, antal bigint, forsta bigint)"))
                conn.execute(text("CREATE TEMP TABLE bemanning_logg_signal (finns boolean)"))
                conn.execute(text("INSERT INTO handelse (entitet, nyckel, typ, datum, registrerad, kalla, data) "
                                  "VALUES ('beslut', 'B-9', 'registrerat', '2026-02-01', now(), 'sql', "
                                  "'{\"beslut_id\": \"B-9\"}')"))
            assert getattr(refused.value.orig, "sqlstate", "") == "42501"
        finally:
            engine.dispose()
        with owner.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM handelse WHERE nyckel = 'B-9'")).scalar_one() == 0
    finally:
        with owner.begin() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        owner.dispose()
