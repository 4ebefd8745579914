"""Många rader i en tabell på en gång: importens händelser och projektionsrader.

SQLAlchemy Core kostar några mikrosekunder per rad och värde (parametrarna byggs och omvandlas
en och en). För en import med hundratusentals händelser är det det mesta av tiden, så här skrivs
raderna direkt med drivrutinen, i den transaktion som anroparen redan har:

- SQLite: `executemany` med värdena omvandlade av kolumnernas egna typer (datum som SQLAlchemy
  sparar dem), så att läsningen genom SQLAlchemy ser exakt det som `insert(tabell)` hade skrivit;
- PostgreSQL: `COPY … FROM STDIN`. Där radsäkerheten gäller för inloggningen (en programroll,
  inte ägaren) tillåter PostgreSQL inte COPY, och raderna skrivs då med `insert` i stora satser,
  så att servern kontrollerar varje rad mot reglerna som förut.

Utlösarna i databasen (loggningen, registreringstiden) körs på samma sätt i alla tre fallen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, text

#: Rader per sats när raderna skrivs med insert (PostgreSQL under radsäkerhet).
BATCH = 5000


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Skriv `rows` (samma nycklar i varje rad) i `table`, i anroparens transaktion."""
    if not rows:
        return
    names = list(rows[0])
    dialect = connection.dialect.name
    if dialect == "sqlite":
        _sqlite(connection, table, names, rows)
    elif dialect == "postgresql" and _may_copy(connection, table):
        _copy(connection, table, names, rows)
    else:
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), list(rows[start:start + BATCH]))


def _sqlite(connection: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    processors = []
    for name in names:
        processor = table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        if processor is None:
            processors.append(None)
            continue
        cache: dict[Any, Any] = {}

        def convert(value: Any, processor=processor, cache=cache) -> Any:
            # Datumen i en import är få och återkommer: varje omvandlas en gång.
            if value is None:
                return None
            try:
                return cache[value]
            except KeyError:
                cache[value] = result = processor(value)
                return result
            except TypeError:  # ett värde som inte kan vara nyckel
                return processor(value)

        processors.append(convert)
    if all(p is None for p in processors):
        values = [tuple(row[n] for n in names) for row in rows]
    else:
        pairs = list(zip(names, processors, strict=True))
        values = [tuple(row[n] if p is None else p(row[n]) for n, p in pairs) for row in rows]
    columns = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values)


def _may_copy(connection: Connection, table: Table) -> bool:
    """Tillåter PostgreSQL COPY till tabellen för inloggningen (ingen radsäkerhet som gäller den)?"""
    return not connection.execute(text("SELECT row_security_active(CAST(:t AS regclass))"),
                                  {"t": table.name}).scalar()


def _copy(connection: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    raw = connection.connection.driver_connection
    columns = ", ".join(f'"{n}"' for n in names)
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(tuple(row[n] for n in names))
