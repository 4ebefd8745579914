"""Registret: händelseloggen i en databas, och läget för valfri dag byggt ur den.

Standard är en inbäddad SQLite-fil (WAL-läge, ägarens rättigheter). En annan databas är en
fråga om URL (`postgresql://…`), inte om annan kod: tabellerna är SQLAlchemy Core och
schemat versioneras med Alembic-migreringar som körs när registret öppnas.
"""

from __future__ import annotations

import gc
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select
from sqlalchemy.exc import OperationalError

from bemanning.errors import UserError
from bemanning.model.beslutslage import BeslutLage, fold_beslut, fold_record
from bemanning.model.enhet import Enhet, Samplaneringsomrade
from bemanning.model.enskild import Enskild
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.insats import Katalog, default_katalog
from bemanning.model.resurser import Personal, Uppdragstagare
from bemanning.model.serialize import from_record, to_record
from bemanning.store.schema import handelse, importlogg

log = logging.getLogger("bemanning.store")

T = TypeVar("T")

_RESOURCE_TYPES: dict[Entitet, type] = {
    Entitet.UPPDRAGSTAGARE: Uppdragstagare,
    Entitet.PERSONAL: Personal,
    Entitet.ENHET: Enhet,
    Entitet.OMRADE: Samplaneringsomrade,
    Entitet.ENSKILD: Enskild,
}


def to_url(db: str | Path) -> str:
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def _enable_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def open_register(db: str | Path, katalog: Katalog | None = None) -> Register:
    """Öppna (och skapa vid behov) registret och för schemat till senaste versionen."""
    url = to_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        new_file = not path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"Kan inte skapa katalogen för registret ({path.parent}): {exc.strerror}.") from None
        if new_file:
            path.touch(mode=0o600)
            os.chmod(path, 0o600)  # sekretess: bara ägaren får läsa registret
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        _enable_sqlite_pragmas(engine)
    try:
        with engine.begin() as connection:
            cfg = _alembic_config(connection)
            current = MigrationContext.configure(connection).get_current_revision()
            head = ScriptDirectory.from_config(cfg).get_current_head()
            if current != head:
                log.info("migrerar registret från %s till %s", current or "tomt", head)
                command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise UserError(f"Kan inte öppna registret {db}: {exc.orig}.") from None
    return Register(engine, katalog or default_katalog())


@contextmanager
def _bulk() -> Iterator[None]:
    """Ingen skräpsamling medan tusentals små objekt byggs (den stod för en stor del av tiden)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _row_to_event(row: Any) -> Handelse:
    return Handelse(
        entitet=Entitet(row.entitet),
        nyckel=row.nyckel,
        typ=HandelseTyp(row.typ),
        datum=row.datum,
        data=json.loads(row.data),
        kalla=row.kalla,
        registrerad=row.registrerad,
        id=row.id,
    )


def _as_of(items: Iterable[Handelse], per: date | None) -> list[Handelse]:
    return [e for e in items if per is None or e.typ is HandelseTyp.REGISTRERAD or e.datum <= per]


class Register:
    """Läs- och skrivgränssnittet mot registret. Varje skrivning är en transaktion."""

    def __init__(self, engine: Engine, katalog: Katalog) -> None:
        self.engine = engine
        self.katalog = katalog
        self._cache: dict[Any, tuple[int, Any]] = {}

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # -- skrivning --------------------------------------------------------------

    def append(self, events: Iterable[Handelse], *, connection: Connection | None = None) -> int:
        """Lägg till händelser i en transaktion (eller i den givna). Returnerar antalet."""
        stamp = _now()
        rows = [
            {
                "entitet": e.entitet.value,
                "nyckel": e.nyckel,
                "typ": e.typ.value,
                "datum": e.datum,
                "registrerad": e.registrerad or stamp,
                "kalla": e.kalla[:200],
                "data": json.dumps(to_record(e.data), ensure_ascii=False, sort_keys=True),
            }
            for e in events
        ]
        if not rows:
            return 0
        if connection is not None:
            connection.execute(insert(handelse), rows)
        else:
            with self.engine.begin() as conn:
                conn.execute(insert(handelse), rows)
        log.info("%d händelser sparade", len(rows))
        return len(rows)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def log_import(self, connection: Connection, fil: str, sha256: str, antal: int, summary: str) -> None:
        connection.execute(
            insert(importlogg),
            {"fil": fil, "sha256": sha256, "importerad": _now(), "antal_handelser": antal,
             "sammanfattning": summary},
        )

    def imports(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(importlogg).order_by(importlogg.c.id)).mappings().all()
        return [dict(r) for r in rows]

    # -- läsning ----------------------------------------------------------------

    def last_event_id(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.coalesce(func.max(handelse.c.id), 0))).scalar_one()

    def events(
        self,
        entitet: Entitet | None = None,
        nyckel: str | None = None,
        *,
        until: date | None = None,
    ) -> list[Handelse]:
        query = select(handelse).order_by(handelse.c.id)
        if entitet is not None:
            query = query.where(handelse.c.entitet == entitet.value)
        if nyckel is not None:
            query = query.where(handelse.c.nyckel == nyckel)
        if until is not None:
            query = query.where(handelse.c.datum <= until)
        with self.engine.connect() as conn:
            return [_row_to_event(r) for r in conn.execute(query)]

    def history(self, entitet: Entitet, nyckel: str) -> list[Handelse]:
        """Alla händelser för en post, i den ordning de registrerades."""
        return self.events(entitet, nyckel)

    def _grouped(self, entitet: Entitet, until: date | None) -> dict[str, list[Handelse]]:
        key = ("grupper", entitet, until)
        last = self.last_event_id()
        cached = self._cache.get(key)
        if cached and cached[0] == last:
            return cached[1]
        groups: dict[str, list[Handelse]] = defaultdict(list)
        with _bulk():
            for item in self.events(entitet, until=until):
                groups[item.nyckel].append(item)
        self._cache[key] = (last, groups)
        return groups

    def _records(self, entitet: Entitet, per: date | None) -> dict[str, dict[str, Any]]:
        records = {}
        for key, items in self._grouped(entitet, per).items():
            record = fold_record(items)
            if record is not None:
                records[key] = record
        return records

    def _resources(self, entitet: Entitet, cls: type[T], per: date | None) -> list[T]:
        records = self._records(entitet, per)
        return [from_record(cls, records[k]) for k in sorted(records)]

    def enskilda(self, per: date | None = None) -> dict[str, Enskild]:
        """De enskilda med rättelser till och med `per`. Registreringen gäller oavsett datum: den
        enskilde finns för alla beslut, även ett som importeras senare med ett äldre beslutsdatum."""
        result = {}
        with _bulk():
            for key, items in self._grouped(Entitet.ENSKILD, None).items():
                record = fold_record(_as_of(items, per))
                if record is not None:
                    result[key] = from_record(Enskild, record)
        return result

    def uppdragstagare(self, per: date | None = None) -> list[Uppdragstagare]:
        return self._resources(Entitet.UPPDRAGSTAGARE, Uppdragstagare, per)

    def personal(self, per: date | None = None) -> list[Personal]:
        return self._resources(Entitet.PERSONAL, Personal, per)

    def enheter(self, per: date | None = None) -> list[Enhet]:
        return self._resources(Entitet.ENHET, Enhet, per)

    def omraden(self, per: date | None = None) -> list[Samplaneringsomrade]:
        return self._resources(Entitet.OMRADE, Samplaneringsomrade, per)

    def resource_record(self, entitet: Entitet, nyckel: str, per: date | None = None) -> dict[str, Any] | None:
        return fold_record(e for e in self.events(entitet, nyckel) if per is None or e.datum <= per)

    def beslut_ids(self) -> list[str]:
        return sorted(self._grouped(Entitet.BESLUT, None))

    def beslut_lagen(self, per: date) -> list[BeslutLage]:
        """Varje beslut som fanns `per` en dag, som det stod den dagen (senare händelser räknas inte)."""
        key = ("lagen", per)
        last = self.last_event_id()
        cached = self._cache.get(key)
        if cached and cached[0] == last:
            return cached[1]
        enskilda = self.enskilda(per)
        result = []
        groups = self._grouped(Entitet.BESLUT, per)
        with _bulk():
            for items in groups.values():
                first = items[0]
                person = first.data.get("person_id") if first.typ is HandelseTyp.REGISTRERAD else None
                lage = fold_beslut(items, enskilda.get(person) if person else None, per)
                if lage is not None:
                    result.append(lage)
        result.sort(key=lambda x: (x.beslut.beslutsdatum, x.beslut_id))
        self._cache[key] = (last, result)
        return result

    def beslut_lage(self, beslut_id: str, per: date) -> BeslutLage | None:
        items = [e for e in self.events(Entitet.BESLUT, beslut_id) if e.datum <= per]
        if not items:
            return None
        record = fold_record(items) or {}
        person_id = record.get("person_id")
        enskild = None
        if person_id:
            enskild_record = fold_record(_as_of(self.events(Entitet.ENSKILD, person_id), per))
            enskild = from_record(Enskild, enskild_record) if enskild_record else None
        return fold_beslut(items, enskild, per)

    def counts(self) -> dict[str, int]:
        """Antal poster per slag (för översikt och `bemanning db info`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(handelse.c.entitet, func.count(func.distinct(handelse.c.nyckel))).group_by(
                    handelse.c.entitet
                )
            ).all()
        return {entitet: count for entitet, count in rows}


def record_of(obj: Any) -> dict[str, Any]:
    """Modellobjekt som post (JSON-säker) för en registrerad-händelse."""
    return to_record(obj)


__all__: Sequence[str] = ["Register", "open_register", "record_of", "to_url"]
