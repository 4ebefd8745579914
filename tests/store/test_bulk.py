"""`bulk.insert_rows` skriver samma värden som SQLAlchemy:s `insert(tabell)`, också när raderna går
direkt till drivrutinen som tupler (datum, flyttal ur heltal, tomma värden)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, insert

from bemanning.store import bulk
from bemanning.store.schema import enskild_lage, metadata


def _stored(rows: list[dict], through_bulk: bool) -> list[tuple]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine, tables=[enskild_lage])
    with engine.begin() as conn:
        if through_bulk:
            bulk.insert_rows(conn, enskild_lage, rows)
        else:
            conn.execute(insert(enskild_lage), rows)
        columns = ", ".join(f"{c}, typeof({c})" for c in ("person_id", "giltig_fran", "giltig_till", "kon",
                                                         "fodelsear", "x_km", "y_km"))
        return conn.exec_driver_sql(f"SELECT {columns} FROM enskild_lage ORDER BY rowid").all()


def test_rows_written_as_tuples_store_the_same_text_and_types_as_sqlalchemy() -> None:
    rows = [
        {"person_id": "P1", "giltig_fran": date.min, "giltig_till": date(9999, 12, 31), "kon": "K", "omrade": None,
         "fodelsear": 1950, "x_km": 3, "y_km": 2.5},
        {"person_id": "P2", "giltig_fran": date(2024, 2, 29), "giltig_till": date(2025, 1, 1), "kon": None,
         "omrade": "norr", "fodelsear": None, "x_km": None, "y_km": -1.25},
    ]
    assert bulk._plain_sqlite_types(create_engine("sqlite://").connect(), enskild_lage, list(rows[0]))
    through_bulk = _stored(rows, through_bulk=True)
    assert through_bulk == _stored(rows, through_bulk=False)
    assert through_bulk[0][2:4] == ("0001-01-01", "text") and through_bulk[0][10:12] == (3.0, "real")


def test_rows_given_as_tuples_with_their_column_names_store_the_same_as_rows_given_as_dicts() -> None:
    """Översiktens rader går som tupler i kolumnernas ordning (`names`), utan en dict per rad: samma
    text och typer i tabellen som samma rader som dict, också när kolumnerna står i en annan ordning
    än tabellens."""
    rows = [
        {"person_id": "P1", "giltig_fran": date.min, "giltig_till": date(9999, 12, 31), "kon": "K", "omrade": None,
         "fodelsear": 1950, "x_km": 3, "y_km": 2.5},
        {"person_id": "P2", "giltig_fran": date(2024, 2, 29), "giltig_till": date(2025, 1, 1), "kon": None,
         "omrade": "norr", "fodelsear": None, "x_km": None, "y_km": -1.25},
    ]
    names = ["y_km", "person_id", "giltig_till", "giltig_fran", "kon", "omrade", "x_km", "fodelsear"]
    as_tuples = [tuple(row[n] for n in names) for row in rows]
    engine = create_engine("sqlite://")
    metadata.create_all(engine, tables=[enskild_lage])
    with engine.begin() as conn:
        bulk.insert_rows(conn, enskild_lage, as_tuples, names=names)
        columns = ", ".join(f"{c}, typeof({c})" for c in ("person_id", "giltig_fran", "giltig_till", "kon",
                                                         "fodelsear", "x_km", "y_km"))
        stored = conn.exec_driver_sql(f"SELECT {columns} FROM enskild_lage ORDER BY rowid").all()
    assert stored == _stored(rows, through_bulk=False)
    assert stored[1][:4] == ("P2", "text", "2024-02-29", "text")


def test_empty_values_are_stored_as_null_through_the_drivers_adapter_for_none() -> None:
    rows = [{"person_id": "P3", "giltig_fran": date(2024, 1, 1), "giltig_till": date(2025, 1, 1), "kon": None,
             "omrade": None, "fodelsear": None, "x_km": None, "y_km": 0.5}]
    stored = _stored(rows, through_bulk=True)[0]
    # kon, fodelsear och x_km: NULL, inte en tom text eller noll (bulk registrerar en omvandlare för None)
    assert stored[6:12] == (None, "null", None, "null", None, "null")
    import sqlite3

    connection = sqlite3.connect(":memory:")
    assert connection.execute("SELECT typeof(?), ? IS NULL", (None, None)).fetchone() == ("null", 1)


def test_rows_written_in_batches_give_the_same_table_and_the_indexes_back(monkeypatch, tmp_path) -> None:
    """`insert_batches`: satser som skapas en i taget ger samma rader i samma ordning som en skrivning,
    och i en tom tabell byggs indexen om efter den sista satsen (med samma definition)."""
    monkeypatch.setattr(bulk, "REINDEX_ROWS", 3)
    rows = [{"person_id": f"P{i}", "giltig_fran": date(2024, 1, 1 + i % 28), "giltig_till": date(9999, 12, 31),
             "kon": None if i % 3 else "K", "omrade": "norr", "fodelsear": 1950 + i, "x_km": i / 7, "y_km": None}
            for i in range(11)]
    # (en fil, som registret: indexen byggs i en annan tråd på samma anslutning)
    engine = create_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    metadata.create_all(engine, tables=[enskild_lage])
    with engine.connect() as conn:
        indexes_before = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enskild_lage' ORDER BY name").all()
    assert indexes_before
    made = []

    def batches():
        for start in range(0, len(rows), 4):
            made.append(start)
            yield [dict(r) for r in rows[start:start + 4]]

    with engine.begin() as conn:
        bulk.insert_batches(conn, enskild_lage, batches(), count=len(rows), reindex=True)
        bulk.finish_indexes(conn)
        stored = conn.exec_driver_sql("SELECT person_id, kon, typeof(kon), x_km FROM enskild_lage ORDER BY rowid").all()
        indexes_after = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enskild_lage' ORDER BY name").all()
    assert made == [0, 4, 8]
    assert stored == [(r["person_id"], r["kon"], "null" if r["kon"] is None else "text", r["x_km"]) for r in rows]
    assert indexes_after == indexes_before


def test_dates_through_the_drivers_adapter_get_the_same_text_as_isoformat_also_after_the_memory_is_full() -> None:
    texts = bulk._DateTexts()
    days = [date(1, 1, 1), date(2024, 2, 29), date(9999, 12, 31)] + [date.fromordinal(700_000 + i) for i in range(100_010)]
    assert [texts[d] for d in days] == [d.isoformat() for d in days]
    assert len(texts) <= 100_000
    assert texts[date(2024, 2, 29)] == "2024-02-29"
