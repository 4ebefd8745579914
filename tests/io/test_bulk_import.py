"""Stora filer: importen skriver i satser (executemany, COPY) men kontrollerar fortfarande varje rad.

Ett fel långt ner i en stor fil ger raden, kolumnen och fältet, och registret är som förut; en
fil utan fel ger samma projektioner som en ombyggnad ur händelserna, och samma fil en gång till
ger inget nytt. Körs på SQLite och på PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bemanning.io.importer import import_files
from bemanning.io.problems import ImportFailed
from bemanning.store.schema import beslut_lage, enskild_lage, handelse, importlogg

TODAY = date(2025, 6, 1)
ROWS = 10_000
HEADER = ("beslut_id;person_id;kon;insats;beslutsdatum;verkstalld_datum;avslutad_datum;avslutsorsak;orsak;"
          "fodelsear;omrade;x_km;y_km;timmar_per_manad;enhet;intressen;tider\n")
INSATSER = ("LSS – kontaktperson", "SoL – kontaktperson", "Äldreboende")


def _row(index: int, beslutsdatum: str | None = None) -> str:
    day = date(2024, 1, 1) + timedelta(days=index % 400)
    verkstalld = (day + timedelta(days=30)).isoformat() if index % 3 == 0 else ""
    avslutad = (day + timedelta(days=90)).isoformat() if index % 7 == 0 else ""
    orsak = "avliden" if avslutad else ""
    return (f"B{index:05d};P{index:05d};{'KM'[index % 2]};{INSATSER[index % 3]};{beslutsdatum or day.isoformat()};"
            f"{verkstalld};{avslutad};{orsak};{'' if index % 5 else 2};{1940 + index % 60};"
            f"{('norr', 'soder')[index % 2]};{index % 40},5;{index % 37};{4 + index % 8};;"
            f"{('djur,musik', 'friluftsliv', '')[index % 3]};vardag,kvall\n")


def _big_file(tmp_path: Path, name: str = "stor.csv", bad: dict[int, str] | None = None) -> Path:
    """ROWS beslut; `bad` ger ett annat beslutsdatum på några rader (radnummer bland dataraderna)."""
    bad = bad or {}
    lines = [HEADER] + [_row(i, bad.get(i)) for i in range(1, ROWS + 1)]
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _offers(tmp_path: Path) -> Path:
    lines = ["beslut_id;datum;utfall;kommentar\n"]
    for i in range(1, ROWS + 1, 4):
        day = date(2024, 1, 1) + timedelta(days=i % 400 + 10)
        lines.append(f"B{i:05d};{day.isoformat()};{('tackat nej', 'accepterat')[i % 8 == 1]};\n")
    path = tmp_path / "erbjudanden.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _snapshot(reg) -> dict[str, list]:
    with reg.engine.connect() as conn:
        return {
            "handelse": list(conn.execute(select(handelse.c.id, handelse.c.nyckel, handelse.c.data)
                                          .order_by(handelse.c.id))),
            "beslut_lage": list(conn.execute(select(beslut_lage).order_by(beslut_lage.c.beslut_id,
                                                                          beslut_lage.c.giltig_fran))),
            "enskild_lage": list(conn.execute(select(enskild_lage).order_by(enskild_lage.c.person_id,
                                                                            enskild_lage.c.giltig_fran))),
            "importlogg": list(conn.execute(select(func.count()).select_from(importlogg))),
        }


@pytest.fixture
def seeded(reg, tmp_path):
    start = tmp_path / "start.csv"
    start.write_text(HEADER + _row(99_999), encoding="utf-8")
    import_files(reg, [start], today=TODAY)
    return reg


def test_a_bad_row_late_in_a_big_file_names_its_line_and_leaves_the_register_unchanged(seeded, tmp_path):
    before = _snapshot(seeded)
    path = _big_file(tmp_path, bad={9_000: "2025-02-30", 9_500: "2025-02-30"})
    with pytest.raises(ImportFailed) as failure:
        import_files(seeded, [path], today=TODAY)
    errors = [str(p) for p in failure.value.problems if not p.varning]
    # rad 9 001 och 9 501 i filen (rubrikraden är rad 1); samma fel två gånger, med var sin rad
    assert errors == [
        'stor.csv, rad 9001, kolumn 5 (beslutsdatum): "2025-02-30" är inget datum (finns inte i kalendern)',
        'stor.csv, rad 9501, kolumn 5 (beslutsdatum): "2025-02-30" är inget datum (finns inte i kalendern)',
    ]
    assert _snapshot(seeded) == before


def test_a_bad_row_last_in_a_big_file_on_an_empty_register_stores_nothing(reg, tmp_path):
    path = _big_file(tmp_path, bad={ROWS: "1/2/2024"})
    with pytest.raises(ImportFailed) as failure:
        import_files(reg, [path, _offers(tmp_path)], today=TODAY)
    assert [(p.rad, p.kolumn, p.falt) for p in failure.value.problems if not p.varning] == [(ROWS + 1, 5, "beslutsdatum")]
    snapshot = _snapshot(reg)
    assert snapshot["handelse"] == [] and snapshot["beslut_lage"] == [] and snapshot["enskild_lage"] == []


def test_a_big_import_writes_the_projections_a_rebuild_gives_and_a_second_import_is_nothing_new(reg, tmp_path):
    files = [_big_file(tmp_path), _offers(tmp_path)]
    result = import_files(reg, files, today=TODAY)
    assert result.written and result.new["beslut"] == ROWS and result.new["enskild"] == ROWS
    written = _snapshot(reg)
    assert len(written["handelse"]) == len(result.events)
    assert len({row.beslut_id for row in written["beslut_lage"]}) == ROWS
    reg.rebuild_projections()
    rebuilt = _snapshot(reg)
    assert rebuilt["beslut_lage"] == written["beslut_lage"]
    assert rebuilt["enskild_lage"] == written["enskild_lage"]
    again = import_files(reg, files, today=TODAY)
    assert again.nothing_new and not again.events
    assert _snapshot(reg)["handelse"] == written["handelse"]


def test_a_failure_after_the_events_are_written_leaves_the_register_unchanged(seeded, tmp_path, monkeypatch):
    """Händelserna skrivs i satser (COPY i PostgreSQL) i samma transaktion som projektionerna: går
    något fel efter att de skrivits sparas ingenting av importen."""
    from bemanning.store import projection

    before = _snapshot(seeded)
    original = projection.refresh

    def refresh_then_fail(connection, events, grouped=None, elsewhere=None):
        original(connection, events, grouped, elsewhere)
        raise RuntimeError("avbrott mitt i importen")

    monkeypatch.setattr(projection, "refresh", refresh_then_fail)
    with pytest.raises(RuntimeError):
        import_files(seeded, [_big_file(tmp_path), _offers(tmp_path)], today=TODAY)
    monkeypatch.undo()
    assert _snapshot(seeded) == before


def _index_definitions(reg) -> list[str]:
    with reg.engine.connect() as conn:
        if reg.dialect == "sqlite":
            return sorted(conn.exec_driver_sql(
                "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").scalars())
        return sorted(conn.exec_driver_sql(
            "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()").scalars())


def test_a_big_import_into_an_empty_register_keeps_every_index_and_logs_the_change(reg, tmp_path):
    """I ett tomt register byggs indexen efter raderna (i en egen tråd medan projektionen räknas):
    efteråt finns samma index som i ett nytt register, loggningen har importen som en rad (i
    PostgreSQL förd av servern en gång vid COMMIT, migrering 0010), och en andra import med ändringar
    läser och loggar som vanligt."""
    from bemanning.store.schema import loggning

    indexes = _index_definitions(reg)
    result = import_files(reg, [_big_file(tmp_path), _offers(tmp_path)], today=TODAY)
    assert _index_definitions(reg) == indexes
    with reg.engine.connect() as conn:
        logged = [(r.atgard, r.antal) for r in conn.execute(select(loggning.c.atgard, loggning.c.antal))]
    assert logged == [("massandring", len(result.events))]
    changed = tmp_path / "andrad.csv"
    changed.write_text(HEADER + _row(7).replace("vardag,kvall", "helg")
                       + _row(ROWS + 1), encoding="utf-8")
    second = import_files(reg, [changed], today=TODAY, confirm=True)
    assert second.new["beslut"] == 1 and second.changed["beslut"] == 1
    with reg.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(loggning)).scalar_one() > 1


def _assert_the_failed_import_stored_nothing(reg, tmp_path, monkeypatch, error: type[BaseException]) -> None:
    """Importen av de stora filerna faller med `error` (så som provet ställt till det); efteråt,
    utan provets ändringar, är registret och dess index som före."""
    before = _snapshot(reg)
    indexes = _index_definitions(reg)
    with pytest.raises(error):
        import_files(reg, [_big_file(tmp_path), _offers(tmp_path)], today=TODAY)
    monkeypatch.undo()
    assert _snapshot(reg) == before
    assert _index_definitions(reg) == indexes


def test_an_index_that_fails_while_the_projection_is_computed_stops_the_import_and_stores_nothing(reg, tmp_path,
                                                                                                  monkeypatch):
    """Indexen i ett tomt register byggs i en egen tråd medan projektionen räknas, i samma transaktion:
    misslyckas ett av dem kommer felet fram och ingenting av importen sparas."""
    from sqlalchemy.exc import DBAPIError

    from bemanning.store import bulk

    original = bulk._create_meanwhile

    def with_a_bad_index(connection, statements, **kwargs):
        original(connection, [*statements, "CREATE INDEX ix_finns_inte ON tabellen_finns_inte (x)"], **kwargs)

    monkeypatch.setattr(bulk, "_create_meanwhile", with_a_bad_index)
    _assert_the_failed_import_stored_nothing(reg, tmp_path, monkeypatch, DBAPIError)


def test_a_failure_while_the_indexes_are_built_leaves_an_empty_register_empty(reg, tmp_path, monkeypatch):
    """Går räkningen av projektionen fel medan händelsetabellens index byggs i sin tråd, väntar
    återställningen på tråden: ingenting sparas, och indexen är som i ett nytt register."""
    from bemanning.store import projection

    def fail(*_args):
        raise RuntimeError("avbrott mitt i projektionen")

    # (de enskildas rader: de räknas i processen, medan besluten rader i en stor import räknas i en
    # egen process, `store.forked`, som har ett eget prov i tests/store/test_forked.py)
    monkeypatch.setattr(projection, "enskild_rows", fail)
    monkeypatch.setitem(projection._KINDS, projection.Entitet.ENSKILD,
                        (*projection._KINDS[projection.Entitet.ENSKILD][:2], fail))
    _assert_the_failed_import_stored_nothing(reg, tmp_path, monkeypatch, RuntimeError)
    result = import_files(reg, [_big_file(tmp_path)], today=TODAY)
    assert result.written and result.new["beslut"] == ROWS


def test_a_big_write_into_an_empty_register_still_refuses_an_id_over_100_characters(reg, monkeypatch):
    """I ett tomt register prövas SQLite:s utlösare för id:ts längd på alla rader efter en stor
    skrivning i stället för rad för rad: ett för långt id någonstans i skrivningen (här i den sista
    av fyra satser) vägras ändå, med registrets eget fel, och ingenting sparas; utan det sparas allt
    och utlösaren finns kvar."""
    from bemanning.model import Entitet, Handelse, HandelseTyp
    from bemanning.store import register

    monkeypatch.setattr(register, "EVENT_BATCH", ROWS // 4 + 1)

    def events(long_at: int | None) -> list[Handelse]:
        return [Handelse(Entitet.OMRADE, ("O" * 101) if i == long_at else f"O{i}", HandelseTyp.REGISTRERAD,
                         date(2024, 1, 1), {"omrade_id": f"O{i}", "namn": "x"}, "test") for i in range(ROWS + 1)]

    with reg.engine.connect() as conn:
        triggers = sorted(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'handelse'" if reg.dialect == "sqlite"
            else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'handelse'::regclass").scalars())
    with pytest.raises(Exception) as exc:  # noqa: B017 - databasens eget fel (i PostgreSQL kolumnens längd)
        reg.append(events(long_at=ROWS - 3))
    if reg.dialect == "sqlite":
        assert "högst 100 tecken" in str(exc.value)
    assert reg.last_event_id() == 0
    assert reg.append(events(long_at=None)) == ROWS + 1
    with reg.engine.connect() as conn:
        assert sorted(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'handelse'" if reg.dialect == "sqlite"
            else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'handelse'::regclass").scalars()) == triggers
    with pytest.raises(Exception):  # noqa: B017
        reg.append([Handelse(Entitet.OMRADE, "P" * 101, HandelseTyp.REGISTRERAD, date(2024, 1, 1), {}, "test")])
