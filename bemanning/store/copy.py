"""Kopiera ett register till en annan databas (SQLite → PostgreSQL när kommunen växer ur filen).

All historik följer med: händelserna med sina id, importloggen och loggningen. Kopian skrivs i en
transaktion i målet och räknas efter innan den sparas; går något fel (eller stämmer inte antalen)
är målet som förut. Målet måste vara tomt.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from typing import Any

import attrs
from sqlalchemy import Connection, Table, func, insert, make_url, select, text

from bemanning.errors import UserError
from bemanning.store import projection
from bemanning.store.register import KOPIERAT, Register, open_register, to_url, write_transaction
from bemanning.store.schema import handelse, importlogg, loggning

log = logging.getLogger("bemanning.store")

TABLES: tuple[Table, ...] = (handelse, importlogg, loggning)
BATCH = 5000


@attrs.frozen
class CopyResult:
    target: str
    counts: dict[str, int]  # tabell -> rader kopierade

    def lines(self) -> list[str]:
        return [f"  {name}: {count} rader" for name, count in self.counts.items()]


def _fingerprint(conn: Connection, table: Table) -> tuple[int, int, int]:
    """(antal, största id, summan av id): samma i källa och mål när allt kom med."""
    return tuple(conn.execute(select(
        func.count(), func.coalesce(func.max(table.c.id), 0), func.coalesce(func.sum(table.c.id), 0)
    ).select_from(table)).one())  # type: ignore[return-value]


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    last = 0
    while True:
        rows = [dict(r) for r in conn.execute(
            select(table).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).mappings()]
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def copy_register(source: Register, target_db: str, *, user: str | None = None) -> CopyResult:
    """Kopiera allt i `source` till det tomma registret `target_db` (sökväg eller URL)."""
    target = open_register(target_db, source.katalog, user=user or source.user)
    try:
        with source.engine.connect() as src, write_transaction(target.engine) as dst:
            # en läsning från källan: samma ögonblicksbild för alla tabeller
            for table in TABLES:
                if dst.execute(select(func.count()).select_from(table)).scalar_one():
                    raise UserError(
                        f"Målregistret {target.url} är inte tomt (tabellen {table.name} har rader); "
                        "kopiera bara till en ny databas."
                    )
            expected = {table.name: _fingerprint(src, table) for table in TABLES}
            if dst.dialect.name == "postgresql":  # loggningen kopieras som den är, utan nya rader
                dst.execute(text("SELECT set_config('bemanning.kopiering', 'ja', true)"))
            for table in TABLES:
                for rows in _batches(src, table):
                    dst.execute(insert(table), rows)
                if dst.dialect.name == "postgresql":
                    # id:n kom från källan; räknaren ska fortsätta efter dem
                    dst.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                    ))
            got = {table.name: _fingerprint(dst, table) for table in TABLES}
            if got != expected:
                raise UserError(
                    "Kopian stämmer inte med källan; ingenting sparades i målet.",
                    [f"{name}: källa {expected[name][0]} rader, mål {got[name][0]}" for name in expected],
                )
            projection.rebuild(dst)  # målets översikt byggs ur de kopierade händelserna
            target.log_access(KOPIERAT, detalj=f"från {source.url}"[:200], connection=dst)
        log.info("registret kopierat till %s", target.url)
        return CopyResult(target.url, {name: value[0] for name, value in expected.items()})
    finally:
        target.close()


def cmd_kopiera(args: argparse.Namespace) -> int:
    """`bemanning db kopiera --till postgresql://…` (anropas av bemanning.cli.register.cmd_db)."""
    from bemanning.paths import resolve_db

    if not args.till:
        raise UserError("Ange målet med --till, till exempel --till postgresql://användare@server/bemanning.")
    source = open_register(resolve_db(args.db))
    try:
        shown = make_url(to_url(args.till)).render_as_string(hide_password=True) if "://" in args.till else args.till
        print(f"Kopierar {source.url} till {shown} …")
        result = copy_register(source, args.till)
    finally:
        source.close()
    print(f"Klart: allt finns i {result.target}")
    for line in result.lines():
        print(line)
    return 0
