"""Matchningens kö läst direkt ur registret, utan att varje besluts historik viks ihop till ett helt
`BeslutLage`.

Urvalet görs i databasen med projektionen (beslut som väntar dag `per`, och pågående uppdrag med en
accepterad person, bland de matchbara insatserna). För de besluten läses bara de händelser som
matchningen behöver, i två frågor (besluten och deras enskilda), och varje beslut viks ihop här till
de få uppgifter som kön använder: önskemålen och omfattningen (registreringen med rättelser och
ändringar), förslagen och vad som hänt med dem, de personer den enskilde tackat nej till, öppet
avbrott, verkställt och avslutat. Reglerna är desamma som i `fold_beslut` och `build_queue`, och
testerna jämför kön och hela resultatet med den vägen (tests/store/test_projection.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bemanning.matching.arende import (
    AVVISAD,
    TACKAT_NEJ,
    UNDANTAGEN,
    Arende,
    Ko,
    Lasning,
    insats_matches,
)
from bemanning.matching.candidates import Belastning
from bemanning.matching.settings import Settings
from bemanning.model import personnummer
from bemanning.model.beslutslage import apply_fields
from bemanning.model.insats import Katalog
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon

_KON = {"K": Kon.K, "M": Kon.M}

#: Så många händelser läses och tolkas åt gången.
BATCH = 5000

# Händelsetyperna (värdena i databasen) som kön bryr sig om.
_REGISTRERAD = "registrerad"
_RATTELSE = ("korrigerad", "andrad")
_ERBJUDANDE = "erbjudande"
_VERKSTALLT = "verkstallt"
_AVBROTT = "avbrott"
_ATERUPPTAGET = "aterupptaget"
_AVSLUTAT = "avslutat"
_FORSLAG = "forslag"
_GODKANT = "godkant"
_AVVISAT = "avvisat"


class _Lage:
    """Det kön behöver av ett besluts läge dag `per` (samma regler som `fold_beslut`)."""

    __slots__ = ("record", "person", "verkstalld", "avslutad", "avbrott", "forslag", "declined")

    def __init__(self) -> None:
        self.record: dict[str, Any] | None = None
        self.person: str | None = None  # den enskilde i registreringen, om den är första händelsen
        self.verkstalld: date | None = None
        self.avslutad: date | None = None
        self.avbrott: list[list[Any]] = []  # [datum, återupptaget]
        self.forslag: dict[str, list[Any]] = {}  # kandidat -> [datum, status]
        self.declined: set[str] = set()

    def open_avbrott(self) -> date | None:
        for item in reversed(self.avbrott):
            if item[1] is None:
                return item[0]
        return None


def _fold(rows: list[Any]) -> _Lage:
    """Ett besluts händelser (typ, datum, data som tolkad JSON; i registreringsordning, till och
    med `per`)."""
    lage = _Lage()
    if rows and rows[0][0] == _REGISTRERAD:  # som registret: den enskilde ur första händelsen
        lage.record = dict(rows[0][2])
        lage.person = lage.record.get("person_id")
        rows = rows[1:]
    for row in rows:
        typ = row[0]
        if typ == _REGISTRERAD:
            lage.record = dict(row[2])
        elif typ == _VERKSTALLT:
            lage.verkstalld = _day(row[1])
        elif typ == _ERBJUDANDE:
            d = row[2]
            kandidat = d.get("kandidat")
            if d.get("utfall", "") == "tackat nej" and kandidat:
                lage.declined.add(kandidat)
            if kandidat and kandidat in lage.forslag:
                lage.forslag[kandidat][1] = "tackat nej" if d.get("utfall") == "tackat nej" else "accepterad"
        elif typ in _RATTELSE:
            if lage.record is None:
                continue
            falt = dict(row[2].get("falt", {}))
            if "verkstalld_datum" in falt:
                value = falt.pop("verkstalld_datum")["till"]
                lage.verkstalld = date.fromisoformat(value) if value else None
            if "avslutad_datum" in falt:
                value = falt.pop("avslutad_datum")["till"]
                lage.avslutad = date.fromisoformat(value) if value else None
            falt.pop("avslutsorsak", None)
            lage.record = apply_fields(lage.record, falt)
        elif typ == _AVBROTT:
            lage.avbrott.append([_day(row[1]), None])
        elif typ == _ATERUPPTAGET:
            for item in reversed(lage.avbrott):
                if item[1] is None:
                    item[1] = _day(row[1])
                    break
        elif typ == _AVSLUTAT:
            lage.avslutad = _day(row[1])
        elif typ == _FORSLAG:
            kandidat = row[2]["kandidat"]
            lage.forslag[kandidat] = [_day(row[1]), "föreslagen"]
        elif typ in (_GODKANT, _AVVISAT):
            kandidat = row[2].get("kandidat")
            if kandidat in lage.forslag:
                lage.forslag[kandidat][1] = "godkänd" if typ == _GODKANT else "avvisad"
    return lage


def _latest(forslag: dict[str, list[Any]], statuses: tuple[str, ...]) -> tuple[str, date, str] | None:
    """Det senaste förslaget med en av `statuses` (det första av flera samma dag, som `max`)."""
    found = [(k, v[0], v[1]) for k, v in forslag.items() if v[1] in statuses]
    return max(found, key=lambda f: f[1]) if found else None


_LOWER: dict[tuple[str, ...], frozenset[str]] = {}
_EMPTY: frozenset[str] = frozenset()
_NO_WISHES: dict[str, Any] = {}
_NO_FORSLAG: dict[str, list[Any]] = {}
_NO_DECLINED: frozenset[str] = frozenset()


def _lower(items: Any) -> frozenset[str]:
    """Som `arende._lower` (orden trimmade, med små bokstäver), en gång per lista av ord."""
    key = tuple(items)
    found = _LOWER.get(key)
    if found is None:
        found = _LOWER[key] = frozenset(s.strip().lower() for s in key if s and s.strip())
    return found


def _day(value: Any) -> date:
    """Ett datum ur databasen: SQLite ger texten (frågan tolkar den inte), PostgreSQL ett datum."""
    return date.fromisoformat(value) if type(value) is str else value


class _Person:
    """Det kön behöver av den enskilde dag `per`: ålder, läge, område och kön."""

    __slots__ = ("alder", "x_km", "y_km", "omrade", "kon")

    def __init__(self, record: dict[str, Any], per: date) -> None:
        person_id = str(record.get("person_id") or "")
        born = personnummer.birth_date(person_id) if personnummer.looks_like_personnummer(person_id) else None
        fodelsear = record.get("fodelsear")
        if born is not None:
            self.alder = per.year - born.year - ((per.month, per.day) < (born.month, born.day))
        elif fodelsear is not None:
            self.alder = per.year - fodelsear
        else:
            self.alder = None
        x, y = record.get("x_km"), record.get("y_km")
        self.x_km = None if x is None else float(x)
        self.y_km = None if y is None else float(y)
        self.omrade = record.get("omrade")
        kon = record.get("kon")
        self.kon = None if kon is None else _KON.get(kon) or Kon(kon)


def _people(rows: Any, per: date) -> dict[str, _Person]:
    """De enskilda ur deras händelser: registreringen gäller alltid, rättelser till och med `per`."""
    grouped: dict[str, dict[str, Any] | None] = {}
    for (key, typ, datum, _text), data in zip(rows, _decode_all(rows), strict=True):
        if typ == _REGISTRERAD:
            grouped[key] = data
        elif typ in _RATTELSE and _day(datum) <= per and grouped.get(key) is not None:
            grouped[key] = apply_fields(grouped[key], data.get("falt", {}))
    return {key: _Person(record, per) for key, record in grouped.items() if record is not None}


def _decode_all(rows: list[Any]) -> list[Any]:
    """Händelsernas data (JSON-text i fjärde kolumnen) tolkad i ett anrop för alla rader."""
    if not rows:
        return []
    return json.loads("[" + ",".join([row[3] for row in rows]) + "]")


def _floatish(value: Any) -> float | None:
    return None if value is None else float(value)


def read_queue(
    reg: Any,
    per: date,
    settings: Settings,
    regel: Regel,
    katalog: Katalog,
    *,
    insats_filter: str | None = None,
) -> Ko:
    """Kön dag `per` ur registret: samma `Ko` som `build_queue(reg.beslut_lagen(per, ids=urvalet))`."""
    from bemanning.store import projection

    matchable = [insats.namn for insats in katalog.insatser if insats.is_matchable]
    limit = regel.senaste_startdatum(per)
    standard_timmar = settings.standard_timmar_per_manad
    arenden: list[Arende] = []
    lasta: list[Lasning] = []
    found: dict[str, Any] = {}
    people: dict[str, _Person] = {}

    def add(beslut_id: str, rows: list[Any]) -> None:
        """Ett besluts händelser (alla med datum till och med `per`) in i kön."""
        if len(rows) == 1 and rows[0][0] == _REGISTRERAD:
            # Bara registreringen (de flesta väntande): inget förslag, erbjudande, avbrott eller
            # avslut, så beslutet väntar; samma svar som vägen genom `_fold` nedan.
            record = rows[0][2]
            label = record.get("insats")
            insats = found.get(label)
            if insats is None:
                insats = found[label] = katalog.find(label)
            if insats is None or not insats.is_matchable or not insats_matches(insats.namn, insats_filter):
                return
            hours = _floatish(record.get("omfattning_timmar")) or standard_timmar
            arenden.append(_arende(beslut_id, record, _NO_FORSLAG, _NO_DECLINED, record.get("person_id"), None,
                                   people, per, limit, hours, insats.staff_only))
            return
        lage = _fold(rows)
        record = lage.record
        if record is None or lage.avslutad is not None:
            return
        label = record.get("insats")
        insats = found.get(label)
        if insats is None:
            insats = found[label] = katalog.find(label)
        if insats is None or not insats.is_matchable:
            return
        open_avbrott = lage.open_avbrott()
        verkstallt = lage.verkstalld is not None and open_avbrott is None
        hours = _floatish(record.get("omfattning_timmar")) or standard_timmar
        fixed = None
        if lage.forslag:
            accepted = _latest(lage.forslag, ("accepterad",))
            if accepted is not None and open_avbrott is None:
                fixed = Lasning(beslut_id, accepted[0], "verkställd" if verkstallt else "accepterad", hours)
            elif not verkstallt and settings.las_godkanda:
                approved = _latest(lage.forslag, ("godkänd",))
                if approved is not None and approved[0] not in lage.declined:
                    fixed = Lasning(beslut_id, approved[0], "godkänd", hours)
        if fixed is not None:
            lasta.append(fixed)
            return
        if verkstallt or not insats_matches(insats.namn, insats_filter):
            return
        arenden.append(_arende(beslut_id, record, lage.forslag, lage.declined, lage.person, open_avbrott, people,
                               per, limit, hours, insats.staff_only))

    last_day = per.isoformat()
    with reg.engine.connect() as conn:
        people.update(_people(conn.execute(
            projection.matching_people_events_query(per, matchable, raw_dates=True)).all(), per))
        # Besluten i bitar (händelserna kommer i nyckelordning): bara en bit i taget finns i minnet.
        result = conn.execution_options(yield_per=BATCH).execute(
            projection.matching_events_query(per, matchable, raw_dates=True))
        current: str | None = None
        pending: list[Any] = []
        for batch in result.partitions():
            batch = [row for row in batch if ((row[2] <= last_day) if type(row[2]) is str else (row[2] <= per))]
            for (key, typ, datum, _text), data in zip(batch, _decode_all(batch), strict=True):
                if key != current:
                    if current is not None:
                        add(current, pending)
                    current, pending = key, []
                pending.append((typ, datum, data))
        if current is not None:
            add(current, pending)
    # Samma ordning som `build_queue` (på id), också där databasen sorterar text på annat sätt.
    arenden.sort(key=lambda a: a.beslut_id)
    lasta.sort(key=lambda x: x.beslut_id)
    belastning: dict[str, list[float]] = {}
    for fixed in lasta:
        load = belastning.setdefault(fixed.kandidat_id, [0, 0.0])
        load[0] += 1
        load[1] += fixed.timmar
    return Ko(
        arenden=tuple(arenden),
        lasta=tuple(lasta),
        belastning={k: Belastning(int(v[0]), float(v[1])) for k, v in belastning.items()},
        hoppade_over=0,
    )


def _arende(beslut_id: str, record: dict[str, Any], forslag: dict[str, list[Any]], declined: set[str] | frozenset[str],
            person: str | None, open_avbrott: date | None, people: dict[str, _Person], per: date, limit: date,
            hours: float, bara_personal: bool) -> Arende:
    o = record.get("onskemal") or _NO_WISHES
    beslutsdatum = _day(record["beslutsdatum"])
    undantagna = o.get("undantagna")
    previous = None
    if undantagna or forslag or declined:
        uteslutna: dict[str, str] = {}
        for key in undantagna or ():
            uteslutna[key] = UNDANTAGEN
        for kandidat, (_datum, status) in forslag.items():
            if status == "avvisad":
                uteslutna.setdefault(kandidat, AVVISAD)
        for key in declined:
            uteslutna[key] = TACKAT_NEJ
        previous = _latest(forslag, ("föreslagen", "godkänd", "accepterad")) if forslag else None
        if previous is not None and previous[0] in uteslutna:
            previous = None
        excluded = tuple(sorted(uteslutna.items()))
    else:
        excluded = ()
    start = open_avbrott or beslutsdatum
    kon = o.get("kon")
    kon = None if kon is None else _KON.get(kon) or Kon(kon)
    sprak = o.get("sprak")
    if sprak:
        sprak_text = sprak.strip()
        sprak = sprak_text.lower() if sprak_text else None
    else:
        sprak_text = sprak = None
    intressen = o.get("intressen")
    tider = o.get("tider")
    behov = o.get("sarskilda_behov")
    max_avstand = o.get("max_avstand_km")
    enskild = people.get(person) if person else None
    return Arende(
        beslut_id=beslut_id,
        insats=record["insats"],
        beslutsdatum=beslutsdatum,
        vantedagar=max(0, (per - start).days),
        forsenad=start <= limit,
        bara_personal=bara_personal,
        kon=kon,
        kon_krav=bool(o.get("kon_krav") and kon is not None),
        sprak=sprak,
        sprak_krav=bool(o.get("sprak_krav") and sprak_text),
        intressen=_lower(intressen) if intressen else _EMPTY,
        tider=frozenset(tider) if tider else _EMPTY,
        max_avstand_km=None if max_avstand is None else float(max_avstand),
        sarskilda_behov=_lower(behov) if behov else _EMPTY,
        uteslutna=excluded,
        alder=enskild.alder if enskild else None,
        x_km=enskild.x_km if enskild else None,
        y_km=enskild.y_km if enskild else None,
        omrade=enskild.omrade if enskild else None,
        timmar=hours,
        enskild_kon=enskild.kon if enskild else None,
        tidigare_kandidat=previous[0] if previous else None,
        tidigare_status=previous[2] if previous else None,
    )

