"""Väntetider: perioder då ett beslut väntar på att verkställas, och orsakskoden för väntan.

En *väntetid* går från beslutsdatum till verkställighet (eller avslut), och från varje avbrott
till återupptagandet (eller avslut). Den syns vid en dag `R` bara genom datum till och med `R`.
Rapporterna om ej verkställda beslut och registrets projektioner räknar båda härifrån, så att en
fråga i databasen och en rapport aldrig kan skilja sig åt.
"""

from __future__ import annotations

from datetime import date

import attrs

from bemanning.model.beslutslage import BeslutLage

VERKSTALLT = "verkställt"
ATERUPPTAGET = "återupptaget"
AVSLUTAT = "avslutat"

ORSAK_TACKAT_NEJ, ORSAK_RESURSBRIST, ORSAK_ANNAT = 1, 2, 3


@attrs.frozen
class Vantetid:
    """En period då beslutet väntar: från beslutet eller från ett avbrott."""

    lage: BeslutLage
    start: date
    avbrott: bool = False
    slut: date | None = None  # dagen beslutet verkställdes, återupptogs eller avslutades
    slutsatt: str = ""  # VERKSTALLT, ATERUPPTAGET eller AVSLUTAT

    @property
    def beslut_id(self) -> str:
        return self.lage.beslut.beslut_id

    @property
    def nyckel(self) -> tuple[str, date]:
        return (self.beslut_id, self.start)

    def is_open(self, rapportdatum: date) -> bool:
        return self.start <= rapportdatum and (self.slut is None or self.slut > rapportdatum)


def vantetider(lage: BeslutLage, rapportdatum: date) -> list[Vantetid]:
    """Beslutets väntetider som de syns vid rapportdatum (bara datum till och med det)."""

    def seen(day: date | None) -> date | None:
        return day if day is not None and day <= rapportdatum else None

    beslutsdatum = lage.beslut.beslutsdatum
    if beslutsdatum > rapportdatum:
        return []
    verkstalld = seen(lage.verkstalld_datum)
    avslutad = seen(lage.avslutad_datum)
    result: list[Vantetid] = []
    if verkstalld is not None and (avslutad is None or verkstalld <= avslutad):
        result.append(Vantetid(lage, beslutsdatum, False, verkstalld, VERKSTALLT))
    elif avslutad is not None:
        result.append(Vantetid(lage, beslutsdatum, False, avslutad, AVSLUTAT))
    else:
        result.append(Vantetid(lage, beslutsdatum))
    for item in lage.avbrott:
        if item.datum > rapportdatum:
            continue
        if avslutad is not None and item.datum > avslutad:
            # ett avslutat beslut lämnar rapporterna (ej-verkstallda.md): ett avbrott daterat
            # efter avslutet (till exempel när avslutet förts in i efterhand) öppnar ingen väntan
            continue
        resumed = seen(item.aterupptaget)
        if avslutad is not None and avslutad >= item.datum and (resumed is None or avslutad < resumed):
            result.append(Vantetid(lage, item.datum, True, avslutad, AVSLUTAT))
        elif resumed is not None:
            result.append(Vantetid(lage, item.datum, True, resumed, ATERUPPTAGET))
        else:
            result.append(Vantetid(lage, item.datum, True))
    return result


def oppen_vantetid(lage: BeslutLage, rapportdatum: date) -> Vantetid | None:
    """Den väntetid som pågår vid rapportdatum, om beslutet väntar."""
    for item in reversed(vantetider(lage, rapportdatum)):
        if item.is_open(rapportdatum):
            return item
    return None


def orsak(lage: BeslutLage, rapportdatum: date) -> int:
    """Orsakskoden: en registrerad kod vinner; annars 1 om det senaste erbjudandet till och
    med rapportdatum avböjdes; annars 2 (resursbrist)."""
    if lage.beslut.orsak is not None:
        return int(lage.beslut.orsak)
    latest = None
    for erbjudande in lage.erbjudanden:
        if erbjudande.datum <= rapportdatum:
            latest = erbjudande
    if latest is not None and latest.declined:
        return ORSAK_TACKAT_NEJ
    return ORSAK_RESURSBRIST
