"""En stor import av nya beslut räknar besluten rader i översikten i en egen process
(`store.forked`) medan händelserna skrivs. Registret blir detsamma som när allt räknas i
processen, och går något fel i den andra processen sparas ingenting och användaren får ett
svenskt besked. Körs på SQLite och på PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bemanning.errors import UserError
from bemanning.io.generator import generate
from bemanning.io.importer import import_files
from bemanning.store import forked, open_register
from bemanning.store.schema import beslut_lage, enskild_lage, handelse, importlogg, loggning

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    made = generate(tmp_path_factory.mktemp("filer"), beslut=400, uppdragstagare=20, seed=11)
    return sorted(made.values())


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Importerna räknar i en egen process redan från ett beslut; listan får en post per gång."""
    started: list[object] = []
    original = forked.start

    def start(*args, **kwargs):
        handle = original(*args, **kwargs)
        started.append(handle)
        return handle

    monkeypatch.setattr(forked, "FORK_MIN_BESLUT", 1)
    monkeypatch.setattr(forked, "start", start)
    return started


def _rows(reg) -> dict[str, list[tuple]]:
    """Tabellerna i skrivordning (id, radernas ordning i tabellen), utan registreringstiden."""
    with reg.engine.connect() as conn:
        order = "rowid" if reg.dialect == "sqlite" else "ctid"
        out = {"handelse": [tuple(r) for r in conn.execute(
            select(handelse.c.id, handelse.c.entitet, handelse.c.nyckel, handelse.c.typ, handelse.c.datum,
                   handelse.c.kalla, handelse.c.data).order_by(handelse.c.id))]}
        for table in (beslut_lage, enskild_lage):
            out[table.name] = [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{table.name}" ORDER BY {order}')]
        if reg.dialect == "sqlite":  # och lagringsklassen för varje värde (text, heltal, flyttal)
            names = [c.name for c in beslut_lage.columns]
            out["typer"] = [tuple(r) for r in conn.exec_driver_sql(
                "SELECT " + ", ".join(f'typeof("{n}")' for n in names) + " FROM beslut_lage ORDER BY rowid")]
        out["importlogg"] = [tuple(r)[1:3] for r in conn.execute(select(importlogg))]
        # loggningen (i SQLite skriven av programmet; posterna räknade i den andra processen)
        out["loggning"] = [tuple(r) for r in conn.execute(
            select(loggning.c.atgard, loggning.c.antal, loggning.c.detalj, loggning.c.beslut_id)
            .order_by(loggning.c.id))]
    return out


def test_rows_computed_in_a_second_process_are_the_rows_computed_in_the_process(reg, files, forks, monkeypatch):
    result = import_files(reg, files, today=TODAY)
    assert result.written and result.new["beslut"] == 400
    assert len(forks) == 1 and forks[0] is not None, "importen räknade inte i en egen process"
    written = _rows(reg)
    assert len({row[0] for row in written["beslut_lage"]}) == 400
    if reg.dialect == "sqlite":
        assert [row[:2] for row in written["loggning"]][-1] == ("massandring", len(result.events))
    # samma import i ett nytt register, allt räknat i processen: samma rader i samma ordning
    monkeypatch.setattr(forked, "FORK_MIN_BESLUT", 10**9)
    if reg.dialect == "sqlite":
        other = open_register(Path(reg.engine.url.database).with_name("jamforelse.sqlite"))
        try:
            import_files(other, files, today=TODAY)
            assert _rows(other) == written
        finally:
            other.close()
    # och samma rader som en ombyggnad ur händelserna
    reg.rebuild_projections()
    rebuilt = _rows(reg)
    assert sorted(rebuilt["beslut_lage"]) == sorted(written["beslut_lage"])
    assert sorted(rebuilt["enskild_lage"]) == sorted(written["enskild_lage"])
    # inga filer kvar bredvid registret
    if reg.dialect == "sqlite":
        assert not list(Path(reg.engine.url.database).parent.glob(".bemanning-import-*"))


def test_a_failure_in_the_second_process_stops_the_import_with_a_swedish_message_and_saves_nothing(
        reg, files, forks, monkeypatch):
    def fail(given, compute):
        raise MemoryError
        yield  # (en generator, som den riktiga)

    monkeypatch.setattr(forked, "_rows_in_chunks", fail)
    with pytest.raises(UserError) as failure:
        import_files(reg, files, today=TODAY)
    assert forks and forks[0] is not None
    message = str(failure.value)
    assert "Importen avbröts" in message and "Inget sparades" in message and "MemoryError" in message
    assert _rows(reg) == {key: [] for key in _rows(reg)}
    if reg.dialect == "sqlite":
        assert not list(Path(reg.engine.url.database).parent.glob(".bemanning-import-*"))
    # registret går att använda som förut: samma import utan felet sparar allt
    monkeypatch.undo()
    assert import_files(reg, files, today=TODAY).written


def test_a_small_import_is_computed_in_the_process(reg, files, monkeypatch):
    started: list[object] = []
    original = forked.start
    monkeypatch.setattr(forked, "start", lambda *a, **k: started.append(original(*a, **k)) or started[-1])
    import_files(reg, files, today=TODAY)
    assert started == [None]  # 400 beslut: under gränsen


def test_a_big_write_is_logged_as_one_row_with_the_number_of_posts_counted_as_before():
    """Loggningen av en stor skrivning räknar posterna utan en genomgång i Python
    (`_count_logged_posts`): beslutet per id, den enskilde genom sitt beslut (eller bara slaget),
    övriga poster med sitt slag; id som liknar personnummer räknas som ett (de loggas aldrig)."""
    from bemanning.model import Entitet, Handelse, HandelseTyp
    from bemanning.store.register import _count_logged_posts

    day = date(2024, 1, 1)

    def event(entitet, key, data=None, typ=HandelseTyp.REGISTRERAD):
        return Handelse(entitet, key, typ, day, data or {}, "import:fil.csv")

    events = []
    for i in range(150):  # 150 beslut med två händelser var
        events += [event(Entitet.BESLUT, f"B{i}"), event(Entitet.BESLUT, f"B{i}", typ=HandelseTyp.VERKSTALLT)]
    events += [event(Entitet.BESLUT, "19121212-1212"), event(Entitet.BESLUT, "191212121212")]  # en post: inget id
    events += [event(Entitet.ENSKILD, f"P{i}") for i in range(150)]  # utan beslut: en post
    events += [event(Entitet.ENSKILD, "P1", {"beslut_id": "B1"}, HandelseTyp.KORRIGERAD),
               event(Entitet.ENSKILD, "P2", {"beslut_id": 7}, HandelseTyp.KORRIGERAD)]
    events += [event(Entitet.UPPDRAGSTAGARE, f"U{i}") for i in range(3)] + [event(Entitet.PERSONAL, "U0")]
    assert _count_logged_posts(events) == 150 + 1 + 1 + 2 + 3 + 1
    # data som inte går att räkna så: None (och loggningen räknar som förut)
    assert _count_logged_posts([*events, event(Entitet.ENSKILD, "P3", {"beslut_id": ["B1"]})]) is None


def test_when_the_process_cannot_be_split_the_rows_are_computed_here(reg, files, forks, monkeypatch):
    import os

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    result = import_files(reg, files, today=TODAY)
    assert forks == [None] and result.written
    assert len({row[0] for row in _rows(reg)["beslut_lage"]}) == 400
    if reg.dialect == "sqlite":
        assert not list(Path(reg.engine.url.database).parent.glob(".bemanning-import-*"))


def test_many_big_imports_in_one_process_leave_nothing_attached(tmp_path, files, forks):
    """SQLite bifogar barnets fil i transaktionen och tar bort den när anslutningen lämnas tillbaka:
    fler importer än SQLite:s tio bifogade databaser i samma process går igenom."""
    reg = open_register(tmp_path / "manga.sqlite")
    try:
        assert import_files(reg, files, today=TODAY).written
        beslut = next(f for f in files if f.name == "beslut.csv")
        for index in range(11):  # nya beslut och enskilda varje gång
            copy = tmp_path / f"beslut{index}.csv"
            copy.write_text(beslut.read_text(encoding="utf-8-sig").replace("DEMO-", f"D{index}-"), encoding="utf-8")
            assert import_files(reg, [copy], today=TODAY).new["beslut"] == 400
        with reg.engine.connect() as conn:
            attached = [row[1] for row in conn.exec_driver_sql("PRAGMA database_list")]
        assert "main" in attached and not [name for name in attached if name.startswith("bemanning")]
    finally:
        reg.close()
    assert len(forks) == 12 and all(forks)
