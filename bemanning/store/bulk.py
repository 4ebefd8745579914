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

I en tom tabell byggs de sekundära indexen efter raderna, i en egen tråd, medan anroparen räknar
vidare på samma transaktion (projektionens rader): databasen bygger ett index utan Pythons lås, så
det går på den andra kärnan. Nästa sats på anslutningen väntar på tråden (`finish_indexes`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Float, Table, event, insert, text

#: Rader per sats när raderna skrivs med insert (PostgreSQL under radsäkerhet).
BATCH = 5000


#: Så många rader i en tom tabell, och databasen bygger tabellens index efter raderna i stället för
#: rad för rad (en första import).
REINDEX_ROWS = 10_000


def insert_rows(connection: Connection, table: Table, rows: Sequence[Any], *,
                reindex: bool = False, names: Sequence[str] | None = None) -> None:
    """Skriv `rows` (samma nycklar i varje rad) i `table`, i anroparens transaktion. Med `names` är
    raderna tupler med de kolumnernas värden i den ordningen (utan en dict per rad).

    Med `reindex` och många rader i en tom tabell tas tabellens sekundära index bort och skapas
    igen efter raderna, med samma definitioner som databasen hade (ur sqlite_master, i PostgreSQL
    ur pg_get_indexdef), i samma transaktion: att bygga ett index en gång är billigare än att föra
    det rad för rad. I PostgreSQL bara för tabellens ägare (som också får använda COPY); andra
    läsare av tabellen väntar då tills transaktionen är klar, vilket för en tom tabell (ett nytt
    register) inte hindrar något.
    """
    insert_batches(connection, table, [rows] if rows else [], count=len(rows), reindex=reindex, names=names)


def insert_batches(connection: Connection, table: Table, batches: Iterable[Sequence[Any]], *,
                   count: int, reindex: bool = False, names: Sequence[str] | None = None) -> None:
    """Som `insert_rows`, med raderna i satser som skapas en i taget (`count` rader i alla): varje
    sats skrivs och släpps innan nästa skapas, så att inte alla rader (händelsernas JSON-text) finns
    i minnet på en gång. Tabellens index byggs om efter alla satser, som i `insert_rows`."""
    finish_indexes(connection)
    if count <= 0:
        return
    dialect = connection.dialect.name
    if dialect == "sqlite":
        write = _sqlite
    elif dialect == "postgresql" and _may_copy(connection, table):
        write = _copy
    else:
        for rows in batches:
            for start in range(0, len(rows), BATCH):
                part = rows[start:start + BATCH]
                if names is not None:
                    part = [dict(zip(names, row, strict=True)) for row in part]
                connection.execute(insert(table), list(part))
        return
    indexes, checks = _emptied(connection, table, reindex and count >= REINDEX_ROWS)
    # Raderna här, i anroparens tråd: drivrutinen tar Pythons lås för varje rad (värdena binds ur
    # Python-objekt), så i en tråd bredvid en anropare som räknar gick de ungefär en tredjedel så
    # fort, och raderna (med händelsernas JSON-text) låg kvar i minnet under tiden.
    columns: list[str] = list(names) if names is not None else []
    for rows in batches:
        if rows:
            if names is None:  # dict per rad: i tupler här
                columns = columns or list(rows[0])
                rows = list(map(itemgetter(*columns), rows)) if len(columns) > 1 else [
                    (row[columns[0]],) for row in rows]
            write(connection, table, columns, rows)
        del rows
    _restore(connection, table, columns, indexes, checks)


def insert_prepared(connection: Connection, table: Table, names: Sequence[str], *, count: int,
                    write: Callable[[Connection], None], reindex: bool = False) -> None:
    """`count` rader som redan är förberedda utanför Python-objekten (av en annan process,
    `store.forked`): `write(connection)` skriver dem i tabellen med en sats som databasen kör
    själv (SQLite: INSERT … SELECT ur en bifogad fil; PostgreSQL: COPY med färdig text). Index och
    kontroller som i `insert_batches`: med `reindex` och många rader i en tom tabell byggs indexen
    efter raderna, i en egen tråd."""
    finish_indexes(connection)
    if count <= 0:
        return
    indexes, checks = _emptied(connection, table, reindex and count >= REINDEX_ROWS)
    write(connection)
    _restore(connection, table, list(names), indexes, checks)


def _restore(connection: Connection, table: Table, columns: list[str], indexes: list[tuple[str, str]],
             checks: list[tuple[str, str, str]]) -> None:
    """Efter raderna: kontrollerna och indexen som `_emptied` tog bort, tillbaka i en egen tråd."""
    if not indexes and not checks:
        return
    # Sedan kontrollerna och indexen i en egen tråd, medan anroparen räknar vidare
    # (`_create_meanwhile`): de är en sats var, som databasen kör utan Pythons lås, på den andra kärnan.
    columns = columns or [column.name for column in table.columns]  # (inga rader: kontrollen finner inget)
    _create_meanwhile(connection, [sql for _name, sql in indexes],
                      before=lambda: _after_rows(connection, table, columns, bool(indexes), checks))


def _emptied(connection: Connection, table: Table, wanted: bool
             ) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Om `wanted` och tabellen är tom: tabellens sekundära index och (i SQLite) dess kontroller
    före INSERT (`_checks`), borttagna tills raderna är skrivna (`_after_rows`, sedan indexen igen
    med samma definitioner)."""
    indexes: list[tuple[str, str]] = []
    checks: list[tuple[str, str, str]] = []
    if wanted and connection.exec_driver_sql(f'SELECT 1 FROM "{table.name}" LIMIT 1').first() is None:
        indexes = _secondary_indexes(connection, table)
        for name, _sql in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        if connection.dialect.name == "sqlite":
            checks = _checks(connection, table)
            for name, _sql, _condition in checks:
                connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return indexes, checks


def _after_rows(connection: Connection, table: Table, names: list[str], indexed: bool,
                checks: list[tuple[str, str, str]]) -> None:
    """Efter raderna i en tabell som `_emptied` tömt på index och kontroller: kontrollerna tillbaka
    (prövade på alla rader), och i PostgreSQL de väntande utlösarna körda före indexen."""
    if indexed and connection.dialect.name == "postgresql":
        _run_deferred_triggers(connection, table)
    for _name, sql, condition in checks:
        connection.exec_driver_sql(sql)
        # Utlösaren prövar raderna som bryter mot dess villkor en gång till, genom att försöka lägga
        # in en av dem igen: den vägrar med sitt eget fel (RAISE(ABORT, …)), som om den prövat raden
        # när den skrevs, och transaktionen sparar ingenting. Finns ingen sådan rad läggs inget in.
        columns = ", ".join(f'"{n}"' for n in names)
        connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} '
                                   f'FROM "{table.name}" WHERE {condition} LIMIT 1')


#: En utlösare som bara vägrar en rad före INSERT (som `handelse_nyckel_langd`, migrering 0003).
_CHECK_TRIGGER = re.compile(
    r"CREATE TRIGGER\s+(\w+)\s+BEFORE\s+INSERT\s+ON\s+\"?(\w+)\"?\s+WHEN\s+(.+?)\s+"
    r"BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'[^']*'\s*\)\s*;\s*END", re.IGNORECASE | re.DOTALL)


def _checks(connection: Connection, table: Table) -> list[tuple[str, str, str]]:
    """(namn, CREATE TRIGGER …, villkoret för tabellens rader) för SQLite-utlösare på tabellen som
    bara vägrar en ny rad som uppfyller ett villkor på dess egna värden (NEW.kolumn). En sådan körs
    annars en gång per rad; efter en stor import prövas villkoret i stället en gång på alla rader."""
    found = []
    for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
            (table.name,)):
        match = _CHECK_TRIGGER.fullmatch((sql or "").strip())
        if match is None or match.group(1) != name or match.group(2) != table.name:
            continue
        condition = match.group(3)
        if re.search(r"\bOLD\.|\bselect\b", condition, re.IGNORECASE):
            continue
        found.append((name, sql, "(" + re.sub(r"\bNEW\.", "", condition, flags=re.IGNORECASE) + ")"))
    return found


def _create_meanwhile(connection: Connection, statements: list[str], *,
                      before: Callable[[], None] | None = None) -> None:
    """Skapa indexen (efter `before`, radernas skrivning) i en egen tråd medan programmet räknar
    vidare (en import räknar projektionen under tiden). Databasen skriver och bygger ett index utan
    Pythons lås (SQLite i sitt anrop, PostgreSQL i servern), så det går samtidigt på en annan kärna.
    Tråden använder anslutningen ensam: allt annat
    på anslutningen (nästa sats, COMMIT, ROLLBACK, nästa `insert_rows`) väntar först tills indexen
    är klara (`finish_indexes`), och ett fel i tråden kommer fram där. Samma transaktion, samma
    index, samma ordning."""
    finish_indexes(connection)
    state: dict[str, Any] = {"error": None}

    def work() -> None:
        try:
            if before is not None:  # raderna först (`insert_rows`)
                before()
            for sql in statements:
                connection.exec_driver_sql(sql)
        except BaseException as exc:  # förs vidare i finish_indexes
            state["error"] = exc

    worker = threading.Thread(target=work, name="bemanning-index", daemon=True)
    state["thread"] = worker
    if connection not in _LISTENING:
        event.listen(connection, "before_execute", _before_statement)
        event.listen(connection, "before_cursor_execute", _before_statement)
        event.listen(connection, "commit", _before_end)
        event.listen(connection, "rollback", _before_rollback)
        _LISTENING.add(connection)
    _PENDING[connection] = state
    worker.start()


#: Anslutningar med index som byggs i en tråd, och anslutningar som väntar på dem före varje sats.
_PENDING: weakref.WeakKeyDictionary[Connection, dict[str, Any]] = weakref.WeakKeyDictionary()
_LISTENING: weakref.WeakSet[Connection] = weakref.WeakSet()


def finish_indexes(connection: Connection, *, reraise: bool = True) -> None:
    """Vänta tills index som byggs i en tråd (`_create_meanwhile`) är klara; för vidare dess fel."""
    state = _PENDING.get(connection)
    if state is None or state["thread"] is threading.current_thread():
        return
    state["thread"].join()
    _PENDING.pop(connection, None)
    if reraise and state["error"] is not None:
        raise state["error"]


def _before_statement(connection: Connection, *_args: Any) -> None:
    finish_indexes(connection)


def _before_end(connection: Connection) -> None:
    finish_indexes(connection)


def _before_rollback(connection: Connection) -> None:
    finish_indexes(connection, reraise=False)


def _run_deferred_triggers(connection: Connection, table: Table) -> None:
    """Kör tabellens utlösare som väntar på COMMIT (loggningens) nu, i samma transaktion, och låt
    dem vänta igen efteråt: PostgreSQL bygger inget index på en tabell med väntande utlösare. De
    gör samma sak nu som vid COMMIT (loggningen får samma rader och samma tid, transaktionens)."""
    for schema, name in connection.execute(text(
            "SELECT n.nspname, c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.conrelid = CAST(:t AS regclass) AND c.condeferrable AND c.condeferred ORDER BY c.conname"),
            {"t": table.name}):
        qualified = '"' + schema.replace('"', '""') + '"."' + name.replace('"', '""') + '"'
        connection.exec_driver_sql(f"SET CONSTRAINTS {qualified} IMMEDIATE")
        connection.exec_driver_sql(f"SET CONSTRAINTS {qualified} DEFERRED")


def _secondary_indexes(connection: Connection, table: Table) -> list[tuple[str, str]]:
    """(namn, CREATE INDEX …) för tabellens index som inte hör till en nyckel eller ett villkor."""
    if connection.dialect.name == "sqlite":
        return [(name, sql) for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name", (table.name,))]
    return [(name, sql) for name, sql in connection.execute(text(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = CAST(:t AS regclass) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = CAST(:t AS regclass)), 'MEMBER') "
        "ORDER BY i.relname"), {"t": table.name})]


#: SQLAlchemy:s format för ett datum i SQLite (`sqlalchemy.dialects.sqlite.DATE`): samma text som
#: `date.isoformat()` för alla år 1–9999.
_SQLITE_DATE_FORMAT = "%(year)04d-%(month)02d-%(day)02d"


def _plain_sqlite_types(connection: Connection, table: Table, names: list[str]) -> bool:
    """Skriver drivrutinen kolumnernas värden som SQLAlchemy skulle skriva dem, utan kolumnernas
    omvandlingar? Ja för text, heltal, flyttal (kolumnen har REAL-affinitet: ett heltal sparas som
    flyttal av SQLite, som SQLAlchemy:s `float()`) och datum i SQLAlchemy:s format (= `isoformat`,
    som drivrutinen använder för ett `date`, `_adapt_values`). Inte för tidpunkter (SQLAlchemy
    skriver mikrosekunderna, drivrutinen inte)."""
    for name in names:
        column_type = table.c[name].type
        impl = column_type.dialect_impl(connection.dialect)
        if impl.bind_processor(connection.dialect) is None:
            continue
        if isinstance(column_type, Float) and not column_type.asdecimal:
            continue
        if (isinstance(column_type, Date) and not isinstance(column_type, DateTime)
                and getattr(impl, "_storage_format", None) == _SQLITE_DATE_FORMAT
                and getattr(impl, "_reg", None) is None):
            continue
        return False
    return True


_ADAPTED: list[bool] = []


class _DateTexts(dict):
    """Ett datums text (`date.isoformat()`), skriven en gång per datum. Minnet töms när det blir stort
    (en process som lever länge skriver inte obegränsat många olika datum)."""

    def __missing__(self, day: date) -> str:
        if len(self) >= 100_000:
            self.clear()
        text = self[day] = day.isoformat()
        return text


def _adapt_values() -> None:
    """Ett `date` till SQLite som `date.isoformat()` (drivrutinens eget standardsätt sedan länge, här
    utan Python-funktion per värde och utan varningen om standardomvandlarna i Python 3.12).
    Exakt typ: `datetime` (en underklass) omvandlas som förut.

    Och `None` som `None` (NULL, som förut): drivrutinen slår annars upp en omvandlare för varje
    värde som inte är text, heltal eller flyttal, och för `None` misslyckas det med två uppslag av
    attribut (`__adapt__`, `__conform__`), det första med ett undantag som skapas och släpps. En
    projektionsrad har många tomma fält: 1,9 miljoner `None` i översiktens 154 346 rader för 100 000
    beslut, 0,98 s → 0,59 s för `executemany`. `{}.get` är en funktion i C som ger `None` för `None`.

    Datumens text slås upp i ett minne (`_DateTexts`) i stället för att skrivas för varje värde: en
    import har hundratusentals datum men några tusen olika (översiktens rader 0,81 → 0,67 s)."""
    if not _ADAPTED:
        sqlite3.register_adapter(date, _DateTexts().__getitem__)
        sqlite3.register_adapter(type(None), {}.get)
        _ADAPTED.append(True)


def _sqlite(connection: Connection, table: Table, names: list[str], rows: list[tuple]) -> None:
    """Raderna (tupler med `names` värden) med `executemany`."""
    _adapt_values()
    quoted = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    if _plain_sqlite_types(connection, table, names):
        # Raderna som de är, i stället för kolumn för kolumn.
        connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', rows)
        return
    columns = []
    for index, name in enumerate(names):
        values = list(map(itemgetter(index), rows))
        processor = table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        if processor is not None:
            # Datumen i en import är få och återkommer: varje omvandlas en gång (None blir None).
            values = _converted(values, processor)
        columns.append(values)
    values = list(zip(*columns, strict=True))
    del columns, rows
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', values)


def _converted(values: list[Any], processor: Any) -> list[Any]:
    cache: dict[Any, Any] = {None: None}
    try:
        for value in set(values):
            if value not in cache:
                cache[value] = processor(value)
    except TypeError:  # ett värde som inte kan vara nyckel: ett i taget
        return [None if value is None else processor(value) for value in values]
    return list(map(cache.__getitem__, values))


def _may_copy(connection: Connection, table: Table) -> bool:
    """Tillåter PostgreSQL COPY till tabellen för inloggningen (ingen radsäkerhet som gäller den)?"""
    return not connection.execute(text("SELECT row_security_active(CAST(:t AS regclass))"),
                                  {"t": table.name}).scalar()


def _copy(connection: Connection, table: Table, names: list[str], rows: list[tuple]) -> None:
    """Raderna (tupler med `names` värden, en sats om högst några tiotusen) med COPY."""
    raw = connection.connection.driver_connection
    columns = ", ".join(f'"{n}"' for n in names)
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)
