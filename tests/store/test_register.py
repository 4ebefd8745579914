"""Registret: historiken skrivs bara till, läget kan läsas för valfri dag, schemat migreras."""

import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from bemanning.errors import UserError
from bemanning.io.importer import import_files
from bemanning.model import Entitet, HandelseTyp
from bemanning.store import open_register, recording


def test_history_cannot_be_rewritten(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    with pytest.raises(DatabaseError, match="Historiken får inte skrivas om"):
        with reg.engine.begin() as conn:
            conn.execute(text("UPDATE handelse SET datum = '2020-01-01'"))
    with pytest.raises(DatabaseError, match="Historiken får inte skrivas om"):
        with reg.engine.begin() as conn:
            conn.execute(text("DELETE FROM handelse"))


def test_kon_correction_after_a_cut_off_leaves_the_earlier_day_unchanged(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    recording.record_rattelse(reg, "VON23-001", "kon", "M", date(2024, 1, 10))
    assert reg.beslut_lage("VON23-001", date(2023, 12, 31)).enskild.kon.value == "K"
    assert reg.beslut_lage("VON23-001", date(2024, 1, 10)).enskild.kon.value == "M"
    earlier = {x.beslut_id: x.enskild.kon.value for x in reg.beslut_lagen(date(2023, 12, 31))}
    assert earlier["VON23-001"] == "K"
    history = reg.history(Entitet.ENSKILD, "VON23P001")
    assert [e.typ for e in history] == [HandelseTyp.REGISTRERAD, HandelseTyp.KORRIGERAD]
    assert history[1].data["falt"] == {"kon": {"fran": "K", "till": "M"}}


MIGRATIONS = Path(__file__).resolve().parents[2] / "bemanning" / "store" / "migrations" / "versions"


def test_reopening_keeps_the_data_and_the_schema_version(tmp_path, ludvika):
    path = tmp_path / "r.sqlite"
    first = open_register(path)
    import_files(first, ludvika, today=date(2024, 1, 3))
    count = first.last_event_id()
    first.close()
    again = open_register(path)
    assert again.last_event_id() == count
    with again.engine.connect() as conn:
        newest = max(p.name.split("_")[0] for p in MIGRATIONS.glob("0*.py"))
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == newest
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_the_register_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "hemlig.sqlite"
    open_register(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_workflow_steps_are_dated_events(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    recording.record_erbjudande(reg, "VON23-003", date(2024, 1, 5), "accepterat", kandidat="U0001")
    recording.record_verkstallt(reg, "VON23-003", date(2024, 1, 20))
    assert reg.beslut_lage("VON23-003", date(2024, 1, 19)).is_open
    lage = reg.beslut_lage("VON23-003", date(2024, 1, 20))
    assert lage.is_verkstallt and lage.latest_offer.utfall == "accepterat"
    recording.record_avbrott(reg, "VON23-003", date(2024, 3, 1))
    assert reg.beslut_lage("VON23-003", date(2024, 3, 2)).status == "avbrott"
    recording.record_aterupptaget(reg, "VON23-003", date(2024, 4, 1))
    assert reg.beslut_lage("VON23-003", date(2024, 4, 1)).is_verkstallt


def test_steps_that_do_not_fit_the_history_are_refused(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    with pytest.raises(UserError, match="redan verkställt"):
        recording.record_verkstallt(reg, "VON23-025", date(2024, 1, 5))
    with pytest.raises(UserError, match="före beslutsdatum"):
        recording.record_verkstallt(reg, "VON23-036", date(2020, 1, 1))
    with pytest.raises(UserError, match="finns inte"):
        recording.record_avslutat(reg, "NOPE", date(2024, 1, 5), "flyttat")
    with pytest.raises(UserError, match="avslutat"):
        recording.record_erbjudande(reg, "VON23-041", date(2024, 1, 5), "accepterat")


@pytest.mark.parametrize("table,column,key,value,words", [
    ("alembic_version", "version_num", None, "0099", "nyare version av schemat (0099)"),
    ("projektion_meta", "varde", "version", "99", "byggd efter en nyare version av bemanning"),
])
def test_a_register_from_a_newer_version_is_refused_in_swedish_and_left_as_it_is(tmp_path, table, column, key,
                                                                                   value, words):
    """En kollega med en äldre installation öppnar ett register som en nyare version har migrerat:
    ett svenskt besked (inte ett internt fel), och registret ändras inte (översikten byggs inte om
    efter de äldre reglerna)."""
    path = tmp_path / "r.sqlite"
    open_register(path).close()
    import sqlite3

    with sqlite3.connect(path) as conn:
        where = f" WHERE nyckel = '{key}'" if key else ""
        conn.execute(f"UPDATE {table} SET {column} = ?{where}", (value,))
    before = path.read_bytes()
    with pytest.raises(UserError) as exc:
        open_register(path)
    assert words in exc.value.message and "Uppdatera programmet" in exc.value.message
    assert path.read_bytes() == before
