"""`bemanning db kopiera`: SQLite → PostgreSQL (eller en ny fil) med all historik, i en transaktion."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from sqlalchemy import text

from bemanning.access import Anvandare, Roll
from bemanning.errors import UserError
from bemanning.io.importer import import_files
from bemanning.model import Entitet
from bemanning.store import open_register, recording
from bemanning.store.copy import cmd_kopiera, copy_register

GRANSKARE = Anvandare("revisor", frozenset({Roll.GRANSKARE}))


def _seeded(tmp_path, demo_files):
    source = open_register(tmp_path / "kalla.sqlite", user="anna")
    import_files(source, demo_files, today=date(2026, 11, 23))
    recording.record_erbjudande(source, "DEMO-0032", date(2026, 11, 24), "accepterat", kandidat="U0001")
    source.log_access("oppnat_beslut", beslut_id="DEMO-0032")
    return source


def _dump(reg):
    return [(e.id, e.entitet, e.nyckel, e.typ, e.datum, e.data, e.kalla, e.registrerad) for e in reg.events()]


def test_copy_keeps_every_event_with_its_id_and_the_logs(tmp_path, db_url, demo_files):
    source = _seeded(tmp_path, demo_files)
    result = copy_register(source, db_url, user="anna")
    assert result.counts["handelse"] == source.last_event_id()
    target = open_register(db_url, user="anna")
    assert _dump(target) == _dump(source)
    per = date(2026, 11, 24)
    assert target.beslut_lagen(per) == source.beslut_lagen(per)
    assert target.imports() == source.imports()
    log = target.access_log(GRANSKARE)
    assert [r["atgard"] for r in log][-3:] == ["andrat", "oppnat_beslut", "kopierat"]
    # räknaren fortsätter efter de kopierade id:na
    recording.record_verkstallt(target, "DEMO-0032", date(2026, 11, 25))
    assert target.last_event_id() == source.last_event_id() + 1
    target.close()
    source.close()


def test_copy_into_a_register_that_has_data_is_refused_and_changes_nothing(tmp_path, db_url, demo_files):
    source = _seeded(tmp_path, demo_files)
    target = open_register(db_url)
    import_files(target, demo_files[:1], today=date(2026, 11, 23))
    before = target.last_event_id()
    with pytest.raises(UserError, match="inte tomt"):
        copy_register(source, db_url)
    assert target.last_event_id() == before
    target.close()
    source.close()


def test_a_failed_copy_leaves_the_target_empty(tmp_path, db_url, monkeypatch, demo_files):
    source = _seeded(tmp_path, demo_files)
    import bemanning.store.copy as copy_module

    real = copy_module._fingerprint
    calls = {"n": 0}

    def broken(conn, table):
        calls["n"] += 1
        value = real(conn, table)
        return (value[0] + 1, *value[1:]) if calls["n"] == 4 else value  # målets första räkning fel

    monkeypatch.setattr(copy_module, "_fingerprint", broken)
    with pytest.raises(UserError, match="stämmer inte"):
        copy_register(source, db_url)
    target = open_register(db_url)
    assert target.last_event_id() == 0
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM loggning")).scalar_one() == 0
    target.close()
    source.close()


def test_the_cli_command_copies(tmp_path, db_url, capsys, demo_files):
    _seeded(tmp_path, demo_files).close()
    args = argparse.Namespace(db=str(tmp_path / "kalla.sqlite"), till=db_url)
    assert cmd_kopiera(args) == 0
    assert "Klart" in capsys.readouterr().out
    assert open_register(db_url).version(Entitet.BESLUT, "DEMO-0032") > 0
