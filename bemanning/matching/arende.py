"""Kön: varje öppet beslut om en matchbar insats, som ett `Arende` för matchningen.

Här avgörs också vad som redan är bestämt: ett förslag som den enskilde accepterat (eller som
enhetschefen godkänt, om `las_godkanda`) ligger fast, beslutet matchas inte om och personen
räknas som upptagen med beslutets timmar. Ett verkställt beslut med en accepterad person är
ett pågående uppdrag och tar också personens tid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from bemanning.matching.candidates import Belastning
from bemanning.matching.settings import Settings
from bemanning.model import beslutslage
from bemanning.model.beslutslage import BeslutLage, latest_forslag, tidigare_forslag
from bemanning.model.insats import Katalog, normalize_label
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon

# Varför ett par är uteslutet oavsett allt annat.
UNDANTAGEN = "undantagen i beslutet"
TACKAT_NEJ = "den enskilde har tackat nej"
AVVISAD = "förslaget avvisades av enhetschefen"

#: Skälen i modellen (`beslutslage.uteslutna`) som de står i förklaringarna.
SKAL = {beslutslage.UNDANTAGEN: UNDANTAGEN, beslutslage.AVVISAD: AVVISAD, beslutslage.TACKAT_NEJ: TACKAT_NEJ}

ACTIVE_STATUSES = ("föreslagen", "godkänd")


@attrs.define(slots=True, unsafe_hash=True)
class Arende:
    """Ett beslut i kön, med allt matchningen behöver veta om det.

    Ändras aldrig efter att det skapats (jämförs och hashas på fälten), men är inte ett fryst
    attrs-objekt: kön har tiotusentals beslut, och ett fryst objekt med 23 fält tar omkring fem
    gånger så lång tid att skapa (varje fält sätts genom `object.__setattr__`)."""

    beslut_id: str
    insats: str
    beslutsdatum: date
    vantedagar: int
    forsenad: bool  # har passerat tremånadersgränsen
    bara_personal: bool
    kon: Kon | None
    kon_krav: bool
    sprak: str | None
    sprak_krav: bool
    intressen: frozenset[str]
    tider: frozenset[str]
    max_avstand_km: float | None
    sarskilda_behov: frozenset[str]
    uteslutna: tuple[tuple[str, str], ...]  # (kandidat_id, skäl), sorterade
    alder: int | None
    x_km: float | None
    y_km: float | None
    omrade: str | None
    timmar: float
    enskild_kon: Kon | None = None
    tidigare_kandidat: str | None = None  # senaste förslaget som inte avvisats: stabilitet
    tidigare_status: str | None = None

    def utesluten(self, kandidat_id: str) -> str | None:
        for key, reason in self.uteslutna:
            if key == kandidat_id:
                return reason
        return None


@attrs.frozen
class Lasning:
    """Ett par som redan är bestämt: beslutet matchas inte om och personen är upptagen."""

    beslut_id: str
    kandidat_id: str
    status: str  # godkänd, accepterad, verkställd
    timmar: float


@attrs.frozen
class Ko:
    arenden: tuple[Arende, ...]
    lasta: tuple[Lasning, ...]
    belastning: dict[str, Belastning]
    hoppade_over: int = 0  # öppna beslut om insatser som inte matchas (platser)


def _lower(items: Iterable[str]) -> frozenset[str]:
    return frozenset(s.strip().lower() for s in items if s and s.strip())


def build_arende(lage: BeslutLage, settings: Settings, regel: Regel, bara_personal: bool) -> Arende:
    beslut = lage.beslut
    o = beslut.onskemal
    enskild = lage.enskild
    uteslutna = beslutslage.uteslutna(o.undantagna, lage.forslag, lage.declined_candidates)
    previous = tidigare_forslag(lage.forslag, uteslutna)
    start = lage.open_avbrott.datum if lage.open_avbrott else beslut.beslutsdatum
    return Arende(
        beslut_id=beslut.beslut_id,
        insats=beslut.insats,
        beslutsdatum=beslut.beslutsdatum,
        vantedagar=max(0, lage.waiting_days()),
        forsenad=regel.ska_rapporteras(start, lage.per),
        bara_personal=bara_personal,
        kon=o.kon,
        kon_krav=bool(o.kon_krav and o.kon is not None),
        sprak=o.sprak.strip().lower() if o.sprak and o.sprak.strip() else None,
        sprak_krav=bool(o.sprak_krav and o.sprak and o.sprak.strip()),
        intressen=_lower(o.intressen),
        tider=frozenset(o.tider),
        max_avstand_km=o.max_avstand_km,
        sarskilda_behov=_lower(o.sarskilda_behov),
        uteslutna=tuple(sorted((key, SKAL[why]) for key, why in uteslutna.items())),
        alder=enskild.age_on(lage.per) if enskild else None,
        x_km=enskild.x_km if enskild else None,
        y_km=enskild.y_km if enskild else None,
        omrade=enskild.omrade if enskild else None,
        timmar=beslut.omfattning_timmar or settings.standard_timmar_per_manad,
        enskild_kon=enskild.kon if enskild else None,
        tidigare_kandidat=previous.kandidat if previous else None,
        tidigare_status=previous.status if previous else None,
    )


def insats_matches(namn: str, filter_text: str | None) -> bool:
    if not filter_text:
        return True
    return normalize_label(filter_text) in normalize_label(namn)


def build_queue(
    lagen: Iterable[BeslutLage],
    settings: Settings,
    regel: Regel,
    katalog: Katalog,
    *,
    insats_filter: str | None = None,
) -> Ko:
    """Öppna matchbara beslut (sorterade på id) och de par som redan ligger fast."""
    arenden: list[Arende] = []
    lasta: list[Lasning] = []
    belastning: dict[str, list[float]] = {}
    skipped = 0
    for lage in sorted(lagen, key=lambda x: x.beslut_id):
        if lage.is_avslutat:
            continue
        insats = katalog.find(lage.beslut.insats)
        if insats is None or not insats.is_matchable:
            skipped += int(lage.is_open)
            continue
        hours = lage.beslut.omfattning_timmar or settings.standard_timmar_per_manad
        accepted = latest_forslag(lage.forslag, ("accepterad",))
        fixed = None
        if accepted is not None and lage.open_avbrott is None:
            fixed = Lasning(lage.beslut_id, accepted.kandidat,
                            "verkställd" if lage.is_verkstallt else "accepterad", hours)
        elif lage.is_open and settings.las_godkanda:
            approved = latest_forslag(lage.forslag, ("godkänd",))
            if approved is not None and approved.kandidat not in lage.declined_candidates:
                fixed = Lasning(lage.beslut_id, approved.kandidat, "godkänd", hours)
        if fixed is not None:
            lasta.append(fixed)
            load = belastning.setdefault(fixed.kandidat_id, [0, 0.0])
            load[0] += 1
            load[1] += hours
            continue
        if not lage.is_open:
            continue
        if not insats_matches(insats.namn, insats_filter):
            continue
        arenden.append(build_arende(lage, settings, regel, insats.staff_only))
    return Ko(
        arenden=tuple(arenden),
        lasta=tuple(lasta),
        belastning={k: Belastning(int(v[0]), float(v[1])) for k, v in belastning.items()},
        hoppade_over=skipped,
    )
