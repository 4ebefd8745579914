"""Projektioner: varje besluts läge i giltig tid, fört bredvid händelserna.

Ett besluts läge en dag `D` är dess händelser med datum till och med `D`, hopvikta i den ordning
de registrerades (`fold_beslut`). Läget ändras bara på de dagar som står i händelserna: deras
datum och de datum som står som värden i dem (ett verkställighetsdatum i en rättelse, ett nytt
beslutsdatum). Mellan två sådana dagar är det detsamma. Projektionen sparar därför en rad per
sådant intervall, räknad med samma funktioner som rapporterna (`fold_beslut`, `oppen_vantetid`,
`orsak`), och frågan "som det stod dag D" blir en intervallfråga i databasen.

Raderna för ett beslut räknas om i samma transaktion som varje ny händelse för det (också en
rättelse som registreras i dag men gäller från i våras). Händelserna förblir det juridiska
materialet; projektionen kan alltid byggas om ur dem (`rebuild`).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from bemanning.model.beslutslage import fold_beslut
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.vantetid import oppen_vantetid, orsak
from bemanning.store.schema import beslut_lage, handelse, projektion_meta

log = logging.getLogger(__name__)

#: Höjs när reglerna som projektionen räknar med ändras; registret byggs då om vid nästa öppning.
VERSION = "1"
OPEN_END = date(9999, 12, 31)
CHUNK = 500

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = ("insats", "beslutsdatum", "enhet", "person_id", "status", "vantar_sedan", "vantar_avbrott", "orsak")


def _dates_in(value: Any) -> Iterator[date]:
    """Alla datum som står som värden i en händelses data (i rättelser: både från och till)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _dates_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _dates_in(item)
    elif isinstance(value, date):
        yield value
    elif isinstance(value, str) and _ISO_DATE.match(value):
        try:
            yield date.fromisoformat(value)
        except ValueError:
            return


def beslut_rows(beslut_id: str, events: Sequence[Handelse]) -> list[dict[str, Any]]:
    """Beslutets intervall, ur alla dess händelser i registreringsordning."""
    registered = [e.datum for e in events if e.typ is HandelseTyp.REGISTRERAD]
    if not registered:
        return []
    first = min(registered)
    points = {e.datum for e in events}
    for e in events:
        points.update(_dates_in(e.data))
    rows: list[dict[str, Any]] = []
    for day in sorted(p for p in points if p >= first):
        lage = fold_beslut(events, None, day)
        if lage is None:
            continue
        vantetid = oppen_vantetid(lage, day)
        row = {
            "beslut_id": beslut_id,
            "giltig_fran": day,
            "insats": lage.beslut.insats,
            "beslutsdatum": lage.beslut.beslutsdatum,
            "enhet": lage.beslut.enhet,
            "person_id": lage.beslut.person_id,
            "status": lage.status,
            "vantar_sedan": vantetid.start if vantetid else None,
            "vantar_avbrott": int(vantetid.avbrott) if vantetid else 0,
            "orsak": orsak(lage, day) if vantetid else None,
        }
        if rows and all(rows[-1][f] == row[f] for f in _FIELDS):
            continue
        rows.append(row)
    for current, following in zip(rows, rows[1:], strict=False):
        current["giltig_till"] = following["giltig_fran"]
    if rows:
        rows[-1]["giltig_till"] = OPEN_END
    return rows


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _stored_events(connection: Connection, keys: Sequence[str]) -> dict[str, list[Handelse]]:
    from bemanning.store.register import _row_to_event

    grouped: dict[str, list[Handelse]] = defaultdict(list)
    for chunk in _chunks(keys):
        query = (select(handelse).where(handelse.c.entitet == Entitet.BESLUT.value, handelse.c.nyckel.in_(chunk))
                 .order_by(handelse.c.id))
        for row in connection.execute(query):
            grouped[row.nyckel].append(_row_to_event(row))
    return grouped


def refresh(connection: Connection, new_events: Sequence[Handelse]) -> None:
    """Räkna om raderna för besluten som `new_events` (just sparade) gäller, i samma transaktion.

    Ett beslut som registreras i samma skrivning har alla sina händelser här (registret vägrar
    en andra registrering), så de räknas direkt; för övriga läses händelserna ur databasen.
    """
    batch: dict[str, list[Handelse]] = defaultdict(list)
    for e in new_events:
        if e.entitet is Entitet.BESLUT:
            batch[e.nyckel].append(e)
    if not batch:
        return
    complete = {k for k, items in batch.items() if any(e.typ is HandelseTyp.REGISTRERAD for e in items)}
    others = sorted(set(batch) - complete)
    events = _stored_events(connection, others) if others else {}
    for key in complete:
        events[key] = batch[key]
    rows: list[dict[str, Any]] = []
    for key, items in events.items():
        rows.extend(beslut_rows(key, items))
    for chunk in _chunks(others):
        connection.execute(delete(beslut_lage).where(beslut_lage.c.beslut_id.in_(chunk)))
    if rows:
        connection.execute(insert(beslut_lage), rows)


def built_version(connection: Connection) -> str | None:
    return connection.execute(
        select(projektion_meta.c.varde).where(projektion_meta.c.nyckel == "version")
    ).scalar()


def rebuild(connection: Connection, progress: Callable[[str], None] | None = None) -> int:
    """Bygg om alla beslutens rader ur händelserna (i den givna transaktionen). Returnerar antalet beslut."""
    from bemanning.store.register import _row_to_event

    connection.execute(delete(beslut_lage))
    total = connection.execute(
        select(handelse.c.nyckel).where(handelse.c.entitet == Entitet.BESLUT.value).distinct()
        .order_by(handelse.c.nyckel)
    ).scalars().all()
    done = 0
    pending: list[dict[str, Any]] = []
    for chunk in _chunks(total):
        query = (select(handelse).where(handelse.c.entitet == Entitet.BESLUT.value, handelse.c.nyckel.in_(chunk))
                 .order_by(handelse.c.id))
        grouped: dict[str, list[Handelse]] = defaultdict(list)
        for row in connection.execute(query):
            grouped[row.nyckel].append(_row_to_event(row))
        for key, items in grouped.items():
            pending.extend(beslut_rows(key, items))
        done += len(chunk)
        if len(pending) >= 5000:
            connection.execute(insert(beslut_lage), pending)
            pending = []
        if progress and (done % 10000 < CHUNK or done == len(total)):
            progress(f"Bygger registrets översikt: {done} av {len(total)} beslut")
    if pending:
        connection.execute(insert(beslut_lage), pending)
    _set_version(connection)
    log.info("projektionerna byggda för %d beslut", len(total))
    return len(total)


def _set_version(connection: Connection) -> None:
    connection.execute(delete(projektion_meta).where(projektion_meta.c.nyckel == "version"))
    connection.execute(insert(projektion_meta), [{"nyckel": "version", "varde": VERSION}])


def as_of(day: date):
    """Villkoret "raden gäller dag `day`"."""
    return (beslut_lage.c.giltig_fran <= day) & (beslut_lage.c.giltig_till > day)


def waiting_ids(connection: Connection, day: date, started_on_or_before: date) -> list[str]:
    """Beslut som väntar dag `day` med en väntetid som började senast `started_on_or_before`."""
    query = (select(beslut_lage.c.beslut_id)
             .where(beslut_lage.c.giltig_till > day, beslut_lage.c.vantar_sedan <= started_on_or_before,
                    beslut_lage.c.giltig_fran <= day)
             .order_by(beslut_lage.c.beslut_id))
    return list(connection.execute(query).scalars())


#: Beslutets status i projektionen för `bemanning beslut --status`.
STATUS_FILTER = {
    "ej-verkstallda": ("ej verkställt", "avbrott"),
    "verkstallda": ("verkställt",),
    "avslutade": ("avslutat",),
}


def count_query(day: date, *, status: str, insats: str, fran: date | None, till: date | None):
    """Antal beslut per insats dag `day`, med samma urval som `bemanning beslut`."""
    from sqlalchemy import func

    query = (select(beslut_lage.c.insats, func.count().label("antal")).where(as_of(day))
             .group_by(beslut_lage.c.insats).order_by(beslut_lage.c.insats))
    if status in STATUS_FILTER:
        query = query.where(beslut_lage.c.status.in_(STATUS_FILTER[status]))
    if insats:
        query = query.where(func.lower(beslut_lage.c.insats).contains(insats.lower(), autoescape=True))
    if fran is not None:
        query = query.where(beslut_lage.c.beslutsdatum >= fran)
    if till is not None:
        query = query.where(beslut_lage.c.beslutsdatum <= till)
    return query
