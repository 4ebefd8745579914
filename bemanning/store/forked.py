"""Översiktens rader för en stor import av nya beslut, räknade i en egen process.

En första import av 100 000 beslut skriver 250 000 händelser och 150 000 rader i översikten
(`projection.beslut_tuples`). Båda är Python-arbete som håller Pythons lås, så en tråd hjälper inte;
maskinen har ändå (minst) två kärnor. Därför delar importen processen (`os.fork`) innan
händelserna skrivs: barnet har då samma händelser i minnet (utan att något kopieras eller
packas om) och räknar besluten rader medan föräldern skriver händelserna. Barnet skriver raderna
i en form som databasen läser in själv, utan en Python-rad per rad i föräldern:

- SQLite: en egen databasfil bredvid registret (samma katalog och behörighet, 0600) med tabellen
  som registret har den, skriven med samma värden som `bulk.insert_rows` skulle ha skrivit.
  Föräldern bifogar filen (ATTACH) i sin transaktion och kopierar raderna med INSERT … SELECT i
  samma ordning; filen tas bort direkt, och bifogningen tas bort när anslutningen lämnas tillbaka.
- PostgreSQL: texten som COPY läser, formaterad av psycopg på samma sätt som `copy.write_row`
  gör det, i en namnlös fil; föräldern skickar den med COPY.

Allt skrivs fortfarande i förälderns enda transaktion: barnet skriver aldrig i registret. Går
något fel i barnet (ett fel, ett avbrott, slut på minne) avbryts hela importen med ett svenskt
besked och inget sparas. Utan `os.fork` (Windows), med trådar igång, i ett register i minnet eller
för en mindre import räknas raderna i processen som förut (`start` ger None).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, event
from sqlalchemy.engine import Engine

from bemanning.errors import UserError
from bemanning.model.handelse import Entitet, Handelse
from bemanning.store import bulk

log = logging.getLogger(__name__)

#: Så många nya beslut, och raderna räknas i en egen process (att dela processen kostar några
#: hundradelar; för en liten import är det inte värt det).
FORK_MIN_BESLUT = 10_000
#: Rader per sats när barnet skriver (minnet: en sats i taget).
CHUNK_ROWS = 20_000
#: Bifogade databaser heter så (följt av ett löpnummer) och tas bort när anslutningen lämnas tillbaka.
_ATTACHED_PREFIX = "bemanning_forarbete"
_ATTACHED_KEY = "bemanning_forarbete"


class RowsElsewhere:
    """Raderna för en tabell som räknas i en annan process; `write` väntar på den och skriver dem."""

    def __init__(self, pid: int, status_fd: int, table: Table, names: Sequence[str], dialect: str,
                 path: Path | None, data_fd: int | None) -> None:
        self.pid = pid
        self.status_fd = status_fd
        self.table = table
        self.names = tuple(names)
        self.dialect = dialect
        self.path = path
        self.data_fd = data_fd
        self._done = False
        #: Svaret från `start`s `extra`, räknat i barnet (efter `write`).
        self.extra: Any = None

    def write(self, connection: Connection) -> None:
        """Vänta på barnet och skriv dess rader i tabellen (i anslutningens transaktion)."""
        count = self._wait()
        try:
            if self.dialect == "sqlite":
                bulk.insert_prepared(connection, self.table, self.names, count=count, reindex=True,
                                     write=self._sqlite_write)
            else:
                bulk.insert_prepared(connection, self.table, self.names, count=count, reindex=True,
                                     write=self._copy_write)
        finally:
            self._cleanup()

    def cancel(self) -> None:
        """Avsluta barnet (om det fortfarande räknar) och ta bort dess fil: importen avbröts."""
        if not self._done:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self._done = True
        self._cleanup()

    def _wait(self) -> int:
        # Svaret läses först (till slutet, när barnet avslutats), sedan hämtas dess slutkod: ett långt
        # svar fyller aldrig röret medan föräldern väntar.
        with os.fdopen(self.status_fd, "rb") as pipe:
            self.status_fd = -1
            first, _, rest = pipe.read().partition(b"\n")
            message = first.decode("ascii", "replace").split()
        _pid, status = os.waitpid(self.pid, 0)
        self._done = True
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or len(message) != 2 or message[0] != "ok":
            why = message[1] if len(message) == 2 and message[0] == "fel" else f"slutkod {code}"
            log.error("processen som räknade översikten misslyckades (%s)", why)
            self._cleanup()
            raise UserError(
                "Importen avbröts: översikten över besluten kunde inte räknas i en egen process "
                f"({why}). Inget sparades. Försök igen; händer det igen, kontrollera att datorn har "
                "ledigt minne och utrymme i registrets katalog."
            )
        if rest:
            self.extra = json.loads(rest.decode("utf-8"))
        return int(message[1])

    def _sqlite_write(self, connection: Connection) -> None:
        assert self.path is not None
        raw = connection.connection
        attached = raw.info.setdefault(_ATTACHED_KEY, [])
        name = f"{_ATTACHED_PREFIX}{len(attached)}"
        connection.exec_driver_sql(f'ATTACH DATABASE ? AS "{name}"', (str(self.path),))
        attached.append(name)
        _detach_on_checkin(connection.engine)
        columns = ", ".join(f'"{n}"' for n in self.names)
        connection.exec_driver_sql(f'INSERT INTO main."{self.table.name}" ({columns}) '
                                   f'SELECT {columns} FROM "{name}"."{self.table.name}" ORDER BY rowid')

    def _copy_write(self, connection: Connection) -> None:
        assert self.data_fd is not None
        raw = connection.connection.driver_connection
        columns = ", ".join(f'"{n}"' for n in self.names)
        os.lseek(self.data_fd, 0, os.SEEK_SET)
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f'COPY "{self.table.name}" ({columns}) FROM STDIN') as copy:
                while chunk := os.read(self.data_fd, 1 << 20):
                    copy.write(chunk)

    def _cleanup(self) -> None:
        if self.status_fd >= 0:
            os.close(self.status_fd)
            self.status_fd = -1
        if self.data_fd is not None:
            os.close(self.data_fd)
            self.data_fd = None
        if self.path is not None:
            # (en bifogad fil läses vidare genom sin öppna fil; namnet behövs inte längre)
            self.path.unlink(missing_ok=True)
            self.path = None


_DETACHING: weakref.WeakSet[Engine] = weakref.WeakSet()


def _detach_on_checkin(engine: Engine) -> None:
    """Bifogade förarbeten tas bort när anslutningen lämnas tillbaka (utanför transaktionen: SQLite
    tar inte bort en bifogad databas mitt i en; och högst tio får vara bifogade)."""
    if engine in _DETACHING:
        return
    _DETACHING.add(engine)

    def checkin(dbapi_connection: Any, record: Any) -> None:
        for name in record.info.pop(_ATTACHED_KEY, []):
            try:
                dbapi_connection.execute(f'DETACH DATABASE "{name}"')
            except sqlite3.Error:  # anslutningen stängs ändå snart; inget att rädda
                pass

    event.listen(engine, "checkin", checkin)


def start(connection: Connection, table: Table, names: Sequence[str], events: Sequence[Handelse],
          given: dict[str, list[Handelse]], compute: Callable[[str, Sequence[Handelse]], list[tuple]],
          extra: Callable[[], Any] | None = None) -> RowsElsewhere | None:
    """Räkna `compute(nyckel, händelser)` för alla poster i `given` i en egen process, om det
    lönar sig och går (se modulen). `given` ska vara precis de nya besluten i `events`, var och en
    med alla sina händelser, registreringen först (en import av nya beslut); annars None.

    `extra` (om den ges): räknas också i barnet, efter raderna; dess svar (JSON-värden) finns i
    `RowsElsewhere.extra` när raderna är skrivna."""
    if not hasattr(os, "fork") or len(given) < FORK_MIN_BESLUT or threading.active_count() > 1:
        return None
    from bemanning.store.projection import _given_ok, kind_counts

    expected = _given_ok(given)
    if expected < 0 or kind_counts(events).get(Entitet.BESLUT, 0) != expected:
        return None
    dialect = connection.dialect.name
    path: Path | None = None
    data_fd: int | None = None
    if dialect == "sqlite":
        database = connection.engine.url.database
        ddl = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                         (table.name,)).scalar()
        if (not database or database == ":memory:" or database.startswith("file:") or not ddl
                or not bulk._plain_sqlite_types(connection, table, list(names))):
            return None
        folder = Path(database).resolve().parent
        try:
            fd, name = tempfile.mkstemp(prefix=".bemanning-import-", suffix=".sqlite", dir=folder)
        except OSError:
            return None
        os.close(fd)
        path = Path(name)
        formatter = None
    elif dialect == "postgresql":
        if not bulk._may_copy(connection, table):
            return None
        try:
            from psycopg._copy_base import format_row_text
            from psycopg.adapt import Transformer
        except ImportError:
            return None
        transformer = Transformer(connection.connection.driver_connection)
        formatter = (format_row_text, transformer)
        ddl = None
        data_fd = _anonymous_file()
    else:
        return None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # (inget minne eller inga processer kvar): raderna räknas här som förut
        log.info("kunde inte dela processen; översikten räknas i processen")
        for fd in (read_fd, write_fd, data_fd):
            if fd is not None:
                os.close(fd)
        if path is not None:
            path.unlink(missing_ok=True)
        return None
    if pid == 0:  # barnet: räkna, skriv, meddela och sluta (utan att röra förälderns anslutningar)
        code = 1
        try:
            os.close(read_fd)
            if dialect == "sqlite":
                count = _write_sqlite(path, ddl, table, names, given, compute)
            else:
                count = _write_copy_text(data_fd, formatter, given, compute)
            payload = json.dumps(extra(), ensure_ascii=False) if extra is not None else ""
            message = f"ok {count}\n{payload}".encode()
            while message:  # (en lång text kan behöva flera skrivningar)
                message = message[os.write(write_fd, message):]
            code = 0
        except BaseException as exc:  # allt: föräldern avbryter importen
            try:
                os.write(write_fd, f"fel {type(exc).__name__}".encode())
            except BaseException:
                pass
        finally:
            os._exit(code)
    os.close(write_fd)
    return RowsElsewhere(pid, read_fd, table, names, dialect, path, data_fd)


def _anonymous_file() -> int:
    """En fil utan namn (bara den här processen och dess barn når den)."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("bemanning-import", os.MFD_CLOEXEC)
        except OSError:
            pass
    handle = tempfile.TemporaryFile()
    return os.dup(handle.fileno())


def _rows_in_chunks(given: dict[str, list[Handelse]], compute: Callable[[str, Sequence[Handelse]], list[tuple]]):
    rows: list[tuple] = []
    extend = rows.extend
    for key, items in given.items():
        extend(compute(key, items))
        if len(rows) >= CHUNK_ROWS:
            yield rows
            rows = []
            extend = rows.extend
    if rows:
        yield rows


def _write_sqlite(path: Path | None, ddl: str | None, table: Table, names: Sequence[str],
                  given: dict[str, list[Handelse]],
                  compute: Callable[[str, Sequence[Handelse]], list[tuple]]) -> int:
    """Raderna i en egen databasfil, med tabellen som registret har den och samma värden som
    `bulk._sqlite` skriver (samma omvandlingar av datum och tomma värden)."""
    assert path is not None and ddl is not None
    bulk._adapt_values()
    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        # en fil som bara den här importen läser och som tas bort efteråt: ingen logg behövs
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        db.execute(ddl)
        columns = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
        count = 0
        for rows in _rows_in_chunks(given, compute):
            db.executemany(sql, rows)
            count += len(rows)
        db.execute("COMMIT")
    finally:
        db.close()
    return count


def _write_copy_text(fd: int | None, formatter: Any, given: dict[str, list[Handelse]],
                     compute: Callable[[str, Sequence[Handelse]], list[tuple]]) -> int:
    """Raderna som COPY:s text, formaterade av psycopg som `copy.write_row` gör det."""
    assert fd is not None
    format_row_text, transformer = formatter
    count = 0
    with os.fdopen(os.dup(fd), "wb") as out:
        for rows in _rows_in_chunks(given, compute):
            buffer = bytearray()
            for row in rows:
                format_row_text(row, transformer, buffer)
            out.write(buffer)
            count += len(rows)
    return count
