"""Ej verkställda beslut: väntetider, orsakskod och månadens statistikrapport.

Allt räknas från besluten som de stod på rapportdatum `R` (`reg.beslut_lagen(R)`); här
används dessutom bara datum till och med `R`, så ett läge som vikts ihop för en senare dag
inte kan smyga in senare händelser (utom rättelser av fält, som bara `fold_beslut` kan hålla
isär – därför ska lägena alltid vara hopvikta per `R`).

En *väntetid* är en period då beslutet väntar på att verkställas: från beslutsdatum till
verkställighet (eller avslut), och från varje avbrott till återupptagandet (eller avslut).
Ett avbrott som inte återupptagits inom tre månader rapporteras som ett nytt ej verkställt
beslut: dess rad i tabell 3 har avbrottets datum i kolumnen Besluts-datum, så att
`Antal dagar = R - Besluts-datum` gäller för varje rad.

Tabell 1 och 2 räknas fram ur raderna i tabell 3, aldrig på annat sätt.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby

import attrs

from bemanning.errors import UserError
from bemanning.model.beslut import ORSAK_TEXT
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.tremanadersregeln import Regel, antal_dagar

# Väntetiderna och orsakskoden hör till beslutet (model/vantetid.py): registrets projektioner
# räknar med samma regel som rapporterna.
from bemanning.model.vantetid import (
    ATERUPPTAGET,  # noqa: F401 (återexporteras)
    AVSLUTAT,  # noqa: F401 (återexporteras)
    ORSAK_ANNAT,  # noqa: F401 (återexporteras)
    ORSAK_RESURSBRIST,  # noqa: F401 (återexporteras)
    ORSAK_TACKAT_NEJ,
    VERKSTALLT,  # noqa: F401 (återexporteras)
    Vantetid,
    oppen_vantetid,
    orsak,
    vantetider,  # noqa: F401 (återexporteras)
)


def kon(lage: BeslutLage) -> str:
    if lage.enskild is None:
        raise UserError(
            f"Beslut {lage.beslut.beslut_id} saknar uppgift om den enskilde (kön); "
            "rätta registret och gör rapporten igen."
        )
    return lage.enskild.kon.value


@attrs.frozen
class Rad:
    """En rad i tabell 3. Fälten efter `orsak` skrivs aldrig i den offentliga rapporten."""

    beslut_om: str
    datum: date  # kolumnen Besluts-datum: beslutsdatum, eller avbrottets datum
    antal_dagar: int
    kon: str  # "K" eller "M"
    orsak: int
    beslut_id: str = attrs.field(default="", eq=False)
    beslutsdatum: date | None = attrs.field(default=None, eq=False)
    avbrott: bool = attrs.field(default=False, eq=False)
    dagar_over: int = attrs.field(default=0, eq=False)

    @property
    def orsak_text(self) -> str:
        return ORSAK_TEXT[self.orsak]

    def sort_key(self) -> tuple:
        return SORTERING(self)


#: Tabell 3:s ordning: äldst väntan först, sedan insats, kön, orsak och beslut (en C-funktion, så
#: att tiotusentals rader sorteras utan ett Python-anrop per rad).
SORTERING = operator.attrgetter("datum", "beslut_om", "kon", "orsak", "beslut_id")


def rad(vantetid: Vantetid, rapportdatum: date, regel: Regel) -> Rad:
    lage = vantetid.lage
    return rad_av(
        insats=lage.beslut.insats, start=vantetid.start, rapportdatum=rapportdatum, kon=kon(lage),
        orsak=orsak(lage, rapportdatum), beslut_id=lage.beslut.beslut_id,
        beslutsdatum=lage.beslut.beslutsdatum, avbrott=vantetid.avbrott, regel=regel,
    )


def rad_av(*, insats: str, start: date, rapportdatum: date, kon: str, orsak: int, beslut_id: str,
           beslutsdatum: date | None, avbrott: bool, regel: Regel) -> Rad:
    """En rad i tabell 3 ur uppgifterna, vare sig de kommer ur ett hopvikt läge eller ur
    registrets projektion (reports/urval.py): raden byggs på ett enda ställe. (Rader för en grupp
    av beslut, `urval.statistikrapport_for_utskrift`, har inget beslut-id eller beslutsdatum.)"""
    return Rad(
        beslut_om=insats,
        datum=start,
        antal_dagar=antal_dagar(start, rapportdatum),
        kon=kon,
        orsak=orsak,
        beslut_id=beslut_id,
        beslutsdatum=beslutsdatum,
        avbrott=avbrott,
        dagar_over=regel.dagar_over(start, rapportdatum),
    )


def rapporterade(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel
) -> list[tuple[Vantetid, Rad]]:
    """Väntetiderna som rapporteras vid rapportdatum, med sina rader, äldst först."""
    result = []
    for lage in lagen:
        vantetid = oppen_vantetid(lage, rapportdatum)
        if vantetid is not None and regel.ska_rapporteras(vantetid.start, rapportdatum):
            result.append((vantetid, rad(vantetid, rapportdatum, regel)))
    result.sort(key=lambda pair: pair[1].sort_key())
    return result


def upprepningar(rader: Iterable[Rad]) -> Iterator[tuple[Rad, int]]:
    """Raderna som (rad, antal) där samma radobjekt står flera gånger i följd. En rapport räknad i
    grupper (`urval.statistikrapport_for_utskrift`) har en rad per grupp, upprepad: den räknas och
    skrivs då en gång per grupp i stället för en gång per beslut. (Lika men olika objekt räknas
    var för sig, med samma resultat.)"""
    for _, run in groupby(rader, key=id):
        same = list(run)
        yield same[0], len(same)


@attrs.frozen
class Sammanfattning:
    antal_beslut: int
    varav_kvinnor: int
    varav_man: int
    antal_tackat_nej: int


@attrs.frozen
class Statistikrapport:
    """Månadens statistikrapport. Tabell 1 och 2 är egenskaper som räknas ur `rader`."""

    rapportdatum: date
    rader: tuple[Rad, ...]
    regel: Regel = attrs.field(factory=Regel)
    #: `rader` som (rad, antal) när rapporten räknats i grupper (`urval.statistikrapport_for_utskrift`):
    #: raderna är då just de raderna upprepade, och tabellerna räknas en gång per grupp.
    grupper: tuple[tuple[Rad, int], ...] | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.grupper is not None and sum(n for _, n in self.grupper) != len(self.rader):
            raise ValueError("grupperna ska vara raderna i rapporten, upprepade")

    def upprepningar(self) -> Iterable[tuple[Rad, int]]:
        """Raderna som (rad, antal) för samma rad flera gånger i följd (se `upprepningar`)."""
        return self.grupper if self.grupper is not None else upprepningar(self.rader)

    @property
    def sammanfattning(self) -> Sammanfattning:
        kvinnor = man = tackat_nej = 0
        for r, n in self.upprepningar():
            if r.kon == "K":
                kvinnor += n
            elif r.kon == "M":
                man += n
            if r.orsak == ORSAK_TACKAT_NEJ:
                tackat_nej += n
        return Sammanfattning(antal_beslut=len(self.rader), varav_kvinnor=kvinnor, varav_man=man,
                              antal_tackat_nej=tackat_nej)

    @property
    def per_insats(self) -> list[tuple[str, int]]:
        """Antal per insats, i den ordning insatserna först förekommer i tabell 3."""
        counts: dict[str, int] = {}
        for r, n in self.upprepningar():
            counts[r.beslut_om] = counts.get(r.beslut_om, 0) + n
        return list(counts.items())

    @property
    def antal_avbrott(self) -> int:
        return sum(n for r, n in self.upprepningar() if r.avbrott)

    def to_json(self) -> dict:
        """Samma form som `forvantad-2023-12-31.json` (utan id)."""
        s = self.sammanfattning
        return {
            "rapportdatum": self.rapportdatum.isoformat(),
            "sammanfattning": {
                "antal_beslut": s.antal_beslut,
                "varav_kvinnor": s.varav_kvinnor,
                "varav_man": s.varav_man,
                "antal_tackat_nej": s.antal_tackat_nej,
            },
            "per_insats": dict(self.per_insats),
            "detalj": [
                {
                    "beslut_om": r.beslut_om,
                    "beslutsdatum": r.datum.isoformat(),
                    "antal_dagar": r.antal_dagar,
                    "kon": r.kon,
                    "orsak": r.orsak,
                }
                for r in self.rader
            ],
        }


def statistikrapport(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None
) -> Statistikrapport:
    """Månadens rapport vid `rapportdatum` ur besluten som de stod den dagen."""
    regel = regel or Regel()
    rows = tuple(r for _, r in rapporterade(lagen, rapportdatum, regel))
    return Statistikrapport(rapportdatum=rapportdatum, rader=rows, regel=regel)
