"""Vilka som kan matchas: godkända uppdragstagare med giltigt registerutdrag och personal med
lediga resurstimmar som kan ta uppdrag.

Uppdragstagare och personal blir här samma sak, en `Kandidat`, så att kraven och önskemålen
bara skrivs en gång. De som inte får föreslås alls (inte godkända, registerutdraget för gammalt,
inga lediga timmar) finns också med, med sitt `hinder`, så att förklaringarna kan säga att
"två som passar väntar på registerutdrag".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.tremanadersregeln import add_months
from bemanning.model.values import Kon

UPPDRAGSTAGARE = "uppdragstagare"
PERSONAL = "personal"


@attrs.frozen(slots=True)
class Belastning:
    """Pågående (eller godkända) uppdrag som en person redan har."""

    uppdrag: int = 0
    timmar: float = 0.0


@attrs.frozen(slots=True)
class Kandidat:
    kandidat_id: str
    typ: str  # UPPDRAGSTAGARE eller PERSONAL
    namn: str
    kon: Kon | None
    fodelsear: int | None
    sprak: frozenset[str]
    intressen: frozenset[str]
    erfarenheter: frozenset[str]
    omrade: str | None
    x_km: float | None
    y_km: float | None
    tider: frozenset[str]
    uppdrag_kvar: int  # hur många uppdrag till personen kan ta
    timmar_kvar: float  # timmar per månad som är lediga för uppdrag
    alder_min: int | None
    alder_max: int | None
    max_avstand_km: float | None
    hinder: str | None = None  # varför personen inte får föreslås alls; None = får föreslås
    kanal: str = ""

    @property
    def mojlig(self) -> bool:
        return self.hinder is None

    def age_on(self, day: date) -> int | None:
        return None if self.fodelsear is None else day.year - self.fodelsear


def _lower(items: Iterable[str]) -> frozenset[str]:
    return frozenset(s.strip().lower() for s in items if s and s.strip())


def registerutdrag_giltigt(datum: date | None, per: date, manader: int) -> bool:
    return datum is not None and datum <= per and add_months(datum, manader) >= per


def from_uppdragstagare(
    u: Uppdragstagare, per: date, giltighet_manader: int, belastning: Belastning = Belastning()
) -> Kandidat:
    hinder = None
    if u.status is not Vetting.GODKAND:
        hinder = f"inte godkänd ännu (status: {u.status.value})"
    elif u.registerutdrag_datum is None:
        hinder = "registerutdrag saknas"
    elif not registerutdrag_giltigt(u.registerutdrag_datum, per, giltighet_manader):
        hinder = f"registerutdraget är äldre än {giltighet_manader} månader"
    return Kandidat(
        kandidat_id=u.uppdragstagare_id,
        typ=UPPDRAGSTAGARE,
        namn=u.namn,
        kon=u.kon,
        fodelsear=u.fodelsear,
        sprak=_lower(u.sprak),
        intressen=_lower(u.intressen),
        erfarenheter=_lower(u.erfarenheter),
        omrade=u.omrade,
        x_km=u.x_km,
        y_km=u.y_km,
        tider=frozenset(u.tider),
        uppdrag_kvar=max(0, u.max_uppdrag - belastning.uppdrag),
        timmar_kvar=max(0.0, u.max_timmar_per_manad - belastning.timmar),
        alder_min=u.alder_min,
        alder_max=u.alder_max,
        max_avstand_km=u.max_avstand_km,
        hinder=hinder,
        kanal=u.kanal,
    )


def from_personal(p: Personal, belastning: Belastning = Belastning()) -> Kandidat:
    hinder = None
    if not p.kan_kontaktperson:
        hinder = "personal som inte tar uppdrag"
    elif not p.resurstimmar_per_manad:
        hinder = "personal utan lediga resurstimmar"
    return Kandidat(
        kandidat_id=p.personal_id,
        typ=PERSONAL,
        namn=p.namn,
        kon=p.kon,
        fodelsear=p.fodelsear,
        sprak=_lower(p.sprak),
        intressen=_lower(p.intressen),
        erfarenheter=_lower(p.erfarenheter),
        omrade=p.enhet,
        x_km=p.x_km,
        y_km=p.y_km,
        tider=frozenset(p.tider),
        uppdrag_kvar=max(0, p.max_uppdrag - belastning.uppdrag),
        timmar_kvar=max(0.0, (p.resurstimmar_per_manad or 0.0) - belastning.timmar),
        alder_min=p.alder_min,
        alder_max=p.alder_max,
        max_avstand_km=p.max_avstand_km,
        hinder=hinder,
    )


def build_kandidater(
    uppdragstagare: Iterable[Uppdragstagare],
    personal: Iterable[Personal],
    per: date,
    *,
    giltighet_manader: int = 12,
    belastning: Mapping[str, Belastning] | None = None,
) -> list[Kandidat]:
    """Alla personer som kandidater, sorterade på id (för samma svar varje gång)."""
    load = belastning or {}
    result = [
        from_uppdragstagare(u, per, giltighet_manader, load.get(u.uppdragstagare_id, Belastning()))
        for u in uppdragstagare
    ]
    result += [from_personal(p, load.get(p.personal_id, Belastning())) for p in personal]
    result.sort(key=lambda k: k.kandidat_id)
    seen: set[str] = set()
    unique = []
    for k in result:
        if k.kandidat_id not in seen:  # samma id som uppdragstagare och personal: första vinner
            seen.add(k.kandidat_id)
            unique.append(k)
    return unique
