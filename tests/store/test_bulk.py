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


def test_empty_values_are_stored_as_null_through_the_drivers_adapter_for_none() -> None:
    rows = [{"person_id": "P3", "giltig_fran": date(2024, 1, 1), "giltig_till": date(2025, 1, 1), "kon": None,
             "omrade": None, "fodelsear": None, "x_km": None, "y_km": 0.5}]
    stored = _stored(rows, through_bulk=True)[0]
    # kon, fodelsear och x_km: NULL, inte en tom text eller noll (bulk registrerar en omvandlare för None)
    assert stored[6:12] == (None, "null", None, "null", None, "null")
    import sqlite3

    connection = sqlite3.connect(":memory:")
    assert connection.execute("SELECT typeof(?), ? IS NULL", (None, None)).fetchone() == ("null", 1)
