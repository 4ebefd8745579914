"""Matchningens kö läst direkt ur registrets översikt, utan att varje besluts historik viks ihop
till ett helt `BeslutLage` och utan att händelsernas JSON tolkas.

Urvalet görs i databasen med projektionen (beslut som väntar dag `per`, och pågående uppdrag med en
accepterad person, bland de matchbara insatserna). Projektionens rad för beslutet den dagen har
redan det kön använder (`projection.matching_fields`, räknat med händelserna): önskemålen och
omfattningen efter rättelser och ändringar, de uteslutna (undantagna, avvisade förslag och de
som den enskilde tackat nej till), det senaste förslaget, den accepterade och den godkända
personen och det öppna avbrottet; den enskildes rad har hennes kön, område, födelseår och läge.
Allt läses i en fråga. Reglerna är desamma som i `build_queue`, och testerna jämför kön och hela
resultatet med den vägen (tests/store/test_projection.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from operator import attrgetter
from typing import Any

from bemanning.matching.arende import (
    SKAL,
    Arende,
    Ko,
    Lasning,
    insats_matches,
)
from bemanning.matching.candidates import Belastning
from bemanning.matching.settings import Settings
from bemanning.memory import without_gc  # noqa: F401 - också här, som förut
from bemanning.model import personnummer
from bemanning.model.insats import Katalog
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon

_KON = {"K": Kon.K, "M": Kon.M, None: None}
_EMPTY: frozenset[str] = frozenset()

#: Så många rader läses åt gången.
BATCH = 5000


def _day(value: Any) -> date:
    """Ett datum ur databasen: SQLite ger texten (frågan tolkar den inte), PostgreSQL ett datum."""
    return date.fromisoformat(value) if type(value) is str else value


def _age(person_id: str, fodelsear: int | None, per: date) -> int | None:
    """Som `Enskild.age_on`: ur personnumret om det är ett, annars ur födelseåret."""
    born = personnummer.birth_date(person_id) if personnummer.looks_like_personnummer(person_id) else None
    if born is not None:
        return per.year - born.year - ((per.month, per.day) < (born.month, born.day))
    if fodelsear is not None:
        return per.year - fodelsear
    return None


#: Sorteringsnyckeln för kön och de fasta paren.
_BESLUT_ID = attrgetter("beslut_id")


def _rows(result: Any) -> Iterator[Any]:
    """Frågans rader, en sats (`BATCH`) i taget ur databasen: utan ett anrop per rad genom SQLAlchemy."""
    for part in result.partitions(BATCH):
        yield from part


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
    las_godkanda = settings.las_godkanda
    open_status = projection.OPPEN_STATUS
    arenden: list[Arende] = []
    lasta: list[Lasning] = []
    # Det som många rader delar räknas en gång per värde: insatsen (False = matchas inte),
    # dagarna (ur databasens text) och väntan från en startdag, ordmängderna, de uteslutna och
    # åldrarna. Raden blir då mest uppslag i ordböcker.
    insatser: dict[Any, Any] = {}
    days: dict[Any, date] = {}
    waits: dict[Any, tuple[int, bool]] = {}
    words: dict[str | None, frozenset[str]] = {None: _EMPTY}
    excluded_texts: dict[str | None, tuple[tuple[str, str], ...]] = {None: ()}
    ages: dict[tuple[str, Any], int | None] = {}
    new_arende = Arende

    def insats_of(label: str) -> Any:
        insats = katalog.find(label)
        if insats is None or not insats.is_matchable:
            insats = False
        else:
            insats = (insats, insats.staff_only, not insats_filter or insats_matches(insats.namn, insats_filter))
        insatser[label] = insats
        return insats

    def day_of(value: Any) -> date:
        found = days[value] = _day(value)
        return found

    def wait_of(value: Any) -> tuple[int, bool]:
        start = days.get(value) or day_of(value)
        found = waits[value] = (max(0, (per - start).days), start <= limit)
        return found

    def word_set(text: str) -> frozenset[str]:
        found = words[text] = frozenset(json.loads(text))
        return found

    def excluded_of(text: str) -> tuple[tuple[str, str], ...]:
        found = excluded_texts[text] = tuple((k, SKAL[r]) for k, r in json.loads(text))
        return found

    from bemanning.store.register import sqlite_pragma

    with reg.engine.connect() as conn, sqlite_pragma(conn, "mmap_size", MMAP_BYTES):
        # Utan `yield_per`: i PostgreSQL blir det en vanlig markör, och servern får lösa frågan med
        # parallella arbetare och skicka svaret på en gång (en markör på servern tillåter inte det, och
        # varje sats är en rundresa): 0,2 s kortare väggtid på 100 000 beslut, omkring 50 MB mer
        # minne medan svaret läses. SQLite läser raderna som förut, en sats i taget.
        result = conn.execute(projection.matching_rows_query(per, matchable))
        for (beslut_id, label, beslutsdatum, status, timmar, onskad_kon, kon_krav, sprak, sprak_krav,
             intressen, tider, behov, max_avstand, uteslutna, tidigare_kandidat, tidigare_status, accepterad,
             godkand, avbrott_sedan, enskild, enskild_kon, omrade, fodelsear, x_km, y_km) in _rows(result):
            if status == "avslutat":
                continue
            found = insatser.get(label)
            if found is None:
                found = insats_of(label)
            if not found:
                continue
            hours = timmar or standard_timmar
            is_open = status in open_status
            if accepterad is not None and avbrott_sedan is None:
                lasta.append(Lasning(beslut_id, accepterad, "verkställd" if status == "verkställt" else "accepterad",
                                     hours))
                continue
            if is_open and las_godkanda and godkand is not None:
                lasta.append(Lasning(beslut_id, godkand, "godkänd", hours))
                continue
            if not is_open or not found[2]:
                continue
            start = avbrott_sedan if avbrott_sedan is not None else beslutsdatum
            wait = waits.get(start) or wait_of(start)
            if enskild is None:
                alder = None
            elif enskild[:1].isdigit() or enskild[:1].isspace():  # kan vara ett personnummer
                key = (enskild, fodelsear)
                alder = ages.get(key, False)
                if alder is False:
                    alder = ages[key] = _age(enskild, fodelsear, per)
            else:  # inte ett personnummer (som `_age`): åldern ur födelseåret
                alder = None if fodelsear is None else per.year - fodelsear
            arenden.append(new_arende(
                beslut_id,
                label,
                days.get(beslutsdatum) or day_of(beslutsdatum),
                wait[0],
                wait[1],
                found[1],
                _KON[onskad_kon],
                bool(kon_krav),
                sprak,
                bool(sprak_krav),
                w if (w := words.get(intressen)) is not None else word_set(intressen),
                w if (w := words.get(tider)) is not None else word_set(tider),
                max_avstand,
                w if (w := words.get(behov)) is not None else word_set(behov),
                e if (e := excluded_texts.get(uteslutna)) is not None else excluded_of(uteslutna),
                alder,
                x_km,
                y_km,
                omrade,
                hours,
                _KON[enskild_kon] if enskild is not None else None,
                tidigare_kandidat,
                tidigare_status,
            ))
    # Samma ordning som `build_queue` (på id), också där databasen sorterar text på annat sätt.
    arenden.sort(key=_BESLUT_ID)
    lasta.sort(key=_BESLUT_ID)
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


#: SQLite läser registrets fil genom minnet (`PRAGMA mmap_size`) medan kön läses, högst så här
#: mycket, i stället för ett systemanrop per sida (kön läser omkring hälften av översiktens rader:
#: 0,05 s systemtid mindre på 100 000 beslut).
MMAP_BYTES = 1 << 30
