"""Jämförelse mellan två rapportdatum: vilka beslut som kvarstår, vilka som passerat tre
månader, vilka som lämnat rapporten och varför (verkställt, återupptaget, avslutat, rättat).

Det är ett arbetsunderlag för förvaltningen och visar därför beslut-id (aldrig person_id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

from bemanning.errors import UserError
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.lagrum import RAPPORTERING, sidfot
from bemanning.model.tremanadersregeln import Regel
from bemanning.reports.ej_verkstallda import (
    ATERUPPTAGET,
    AVSLUTAT,
    VERKSTALLT,
    Rad,
    rapporterade,
    vantetider,
)
from bemanning.reports.format import Dokument, Stycke, Tabell, svenskt_datum
from bemanning.reports.installningar import Installningar

KVARSTAR = "Kvarstår"
NYTT = "Nytt"
TILLKOMMIT = "Tillkommit"
LAMNAT = "Lämnat"
ORDNING = (LAMNAT, NYTT, TILLKOMMIT, KVARSTAR)


@attrs.frozen
class JamforRad:
    lage: str  # KVARSTAR, NYTT, TILLKOMMIT eller LAMNAT
    rad: Rad  # raden vid det datum där beslutet fanns med (till, annars fran)
    forklaring: str
    dagar_fran: int | None
    dagar_till: int | None
    datum: date | None = None  # när det hände (passerade tre månader, verkställdes …)


@attrs.frozen
class Jamforelse:
    fran: date
    till: date
    rader: tuple[JamforRad, ...]

    def antal(self, lage: str) -> int:
        return sum(1 for r in self.rader if r.lage == lage)

    @property
    def antal_fran(self) -> int:
        return sum(1 for r in self.rader if r.dagar_fran is not None)

    @property
    def antal_till(self) -> int:
        return sum(1 for r in self.rader if r.dagar_till is not None)


def _why_left(rad: Rad, start: date, lage: BeslutLage | None, till: date) -> tuple[str, date | None]:
    if lage is None:
        return ("finns inte längre i registret", None)
    for vantetid in vantetider(lage, till):
        if vantetid.start != start or vantetid.slut is None:
            continue
        if vantetid.slutsatt == VERKSTALLT:
            return (f"verkställt {vantetid.slut.isoformat()}", vantetid.slut)
        if vantetid.slutsatt == ATERUPPTAGET:
            return (f"återupptaget {vantetid.slut.isoformat()}", vantetid.slut)
        if vantetid.slutsatt == AVSLUTAT:
            orsak = f" ({lage.avslutsorsak})" if lage.avslutsorsak else ""
            return (f"avslutat {vantetid.slut.isoformat()}{orsak}", vantetid.slut)
    return ("rättat i registret (beslutsdatum, insats eller status)", None)


def jamforelse(
    lagen_fran: Sequence[BeslutLage],
    lagen_till: Sequence[BeslutLage],
    fran: date,
    till: date,
    regel: Regel | None = None,
) -> Jamforelse:
    """`lagen_fran` per `fran` och `lagen_till` per `till` (registrets läge vid varje datum)."""
    if fran >= till:
        raise UserError("Det första datumet (--fran) måste vara före det andra (--till).")
    regel = regel or Regel()
    before = [r for _v, r in rapporterade(lagen_fran, fran, regel)]
    after = [r for _v, r in rapporterade(lagen_till, till, regel)]
    return jamforelse_av(before, after, {x.beslut.beslut_id: x for x in lagen_till}, fran, till, regel)


def jamforelse_av(before: Iterable[Rad], after: Iterable[Rad], lagen_till: Mapping[str, BeslutLage],
                  fran: date, till: date, regel: Regel) -> Jamforelse:
    """Jämförelsen ur statistikrapportens rader vid de två datumen (en väntan är (beslut-id,
    start)) och lägena vid `till` för åtminstone de beslut som lämnat rapporten (varför de
    lämnade). Raderna kan komma ur hopvikta lägen eller ur projektionen (reports/urval.py)."""
    if fran >= till:
        raise UserError("Det första datumet (--fran) måste vara före det andra (--till).")
    before = {(r.beslut_id, r.datum): r for r in before}
    after = {(r.beslut_id, r.datum): r for r in after}
    by_id = lagen_till
    rows: list[JamforRad] = []
    for key, rad in after.items():
        if key in before:
            rows.append(JamforRad(KVARSTAR, rad, "", before[key].antal_dagar, rad.antal_dagar))
            continue
        crossed = regel.forsta_rapportdag(key[1])
        if crossed > fran:
            text = f"passerade {regel.beskrivning()} {crossed.isoformat()}"
            if rad.avbrott:
                text = f"avbrott {key[1].isoformat()}, " + text
            rows.append(JamforRad(NYTT, rad, text, None, rad.antal_dagar, crossed))
        else:
            rows.append(JamforRad(TILLKOMMIT, rad, "registrerat eller rättat efter det första datumet",
                                  None, rad.antal_dagar))
    for key, rad in before.items():
        if key not in after:
            text, when = _why_left(rad, key[1], by_id.get(key[0]), till)
            rows.append(JamforRad(LAMNAT, rad, text, rad.antal_dagar, None, when))
    rows.sort(key=lambda r: (ORDNING.index(r.lage), r.rad.sort_key()))
    return Jamforelse(fran, till, tuple(rows))


def jamforelse_dokument(result: Jamforelse, installningar: Installningar) -> Dokument:
    fran, till = result.fran.isoformat(), result.till.isoformat()
    summary = Tabell(
        (f"Antal {fran}", KVARSTAR, "Nya (passerat tre månader)", TILLKOMMIT, LAMNAT, f"Antal {till}"),
        ((result.antal_fran, result.antal(KVARSTAR), result.antal(NYTT), result.antal(TILLKOMMIT),
          result.antal(LAMNAT), result.antal_till),),
        rubrik="Ej verkställda beslut vid de två datumen och förändringen mellan dem.",
    )
    detail = Tabell(
        ("Läge", "Beslut-id", "Beslut om", "Besluts-datum", "Kvinna eller man",
         f"Antal dagar {fran}", f"Antal dagar {till}", "Förklaring"),
        tuple(
            (r.lage, r.rad.beslut_id, r.rad.beslut_om, r.rad.datum, r.rad.kon, r.dagar_fran, r.dagar_till,
             r.forklaring)
            for r in result.rader
        ),
        rubrik="Beslut för beslut: lämnat, nytt, tillkommit och kvarstående.",
        blad="Beslut",
    )
    return Dokument(
        titel=f"Ej verkställda beslut: jämförelse mellan {svenskt_datum(result.fran)} och {svenskt_datum(result.till)}",
        rubrik=installningar.namnd,
        delar=(
            Stycke("Arbetsunderlag för förvaltningen. Innehåller beslut-id och ska inte publiceras.", kursiv=True),
            summary,
            detail,
            Stycke(sidfot((RAPPORTERING,), result.till), kursiv=True),
        ),
        forfattare=installningar.namnd,
        datum=result.till,
    )
