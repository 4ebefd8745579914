"""Daterade händelser: registrets juridiska historik. De skrivs bara till, aldrig om.

Varje händelse har ett `datum` (då det hände, till exempel dagen ett erbjudande besvarades)
och en tidsstämpel `registrerad` (då det skrevs in). Registrets läge "per" en dag byggs av
händelserna med `datum` till och med den dagen; en rättelse gäller från dagen den gjordes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from bemanning.model.values import format_number


class Entitet(str, Enum):
    BESLUT = "beslut"
    ENSKILD = "enskild"
    UPPDRAGSTAGARE = "uppdragstagare"
    PERSONAL = "personal"
    ENHET = "enhet"
    OMRADE = "omrade"


class HandelseTyp(str, Enum):
    REGISTRERAD = "registrerad"
    KORRIGERAD = "korrigerad"
    ANDRAD = "andrad"
    ERBJUDANDE = "erbjudande"
    VERKSTALLT = "verkstallt"
    AVBROTT = "avbrott"
    ATERUPPTAGET = "aterupptaget"
    AVSLUTAT = "avslutat"
    FORSLAG = "forslag"
    GODKANT = "godkant"
    AVVISAT = "avvisat"
    # den enskilde har begärt att verkställandet skjuts upp (34 kap. 6 § SoL (2025:400))
    SENARELAGGNING = "senarelaggning"
    # handläggarens skriftliga skäl till dröjsmålet; vinner över utkastet ur historiken
    MOTIVERING = "motivering"


HANDELSE_TEXT = {
    HandelseTyp.REGISTRERAD: "Registrerat",
    HandelseTyp.KORRIGERAD: "Rättelse",
    HandelseTyp.ANDRAD: "Ändring",
    HandelseTyp.ERBJUDANDE: "Erbjudande",
    HandelseTyp.VERKSTALLT: "Verkställt",
    HandelseTyp.AVBROTT: "Avbrott",
    HandelseTyp.ATERUPPTAGET: "Återupptaget",
    HandelseTyp.AVSLUTAT: "Avslutat",
    HandelseTyp.FORSLAG: "Förslag",
    HandelseTyp.GODKANT: "Förslag godkänt",
    HandelseTyp.AVVISAT: "Förslag avvisat",
    HandelseTyp.SENARELAGGNING: "Senareläggning begärd av den enskilde",
    HandelseTyp.MOTIVERING: "Skäl till dröjsmålet",
}

UTFALL = ("tackat nej", "accepterat")

#: Fältens namn i historiken (rättelser och ändringar); andra fält visas med sitt eget namn.
FALT_TEXT = {
    "kon": "kön",
    "omfattning_timmar": "timmar/månad",
    "fodelsear": "födelseår",
    "omrade": "område",
    "onskemal.kon": "önskat kön",
    "onskemal.kon_krav": "kön som krav",
    "onskemal.sprak": "önskat språk",
    "onskemal.sprak_krav": "språk som krav",
    "onskemal.intressen": "intressen",
    "onskemal.tider": "tider",
    "onskemal.max_avstand_km": "högst km bort",
    "onskemal.sarskilda_behov": "särskilda behov",
    "onskemal.undantagna": "undantagna",
}


def _visa(value: Any) -> str:
    """Ett gammalt eller nytt värde i historiken: tomt, ja/nej och listor som en människa skriver dem."""
    if value is None or value == "" or value == [] or value == ():
        return "(tomt)"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (list, tuple)):
        return ", ".join({"kvall": "kväll"}.get(str(v), str(v)) for v in value)
    if isinstance(value, float):
        return format_number(value)
    return str(value)


@attrs.frozen
class Handelse:
    entitet: Entitet
    nyckel: str
    typ: HandelseTyp
    datum: date
    data: dict[str, Any] = attrs.field(factory=dict)
    kalla: str = ""
    registrerad: datetime | None = None
    id: int | None = None

    def beskrivning(self) -> str:
        """En rad på svenska för historikvyn (utan namn eller personnummer)."""
        text = HANDELSE_TEXT[self.typ]
        d = self.data
        if self.typ is HandelseTyp.ERBJUDANDE:
            text += f": {d.get('utfall', '')}"
            if d.get("kandidat"):
                text += f" ({d['kandidat']})"
        elif self.typ in (HandelseTyp.KORRIGERAD, HandelseTyp.ANDRAD):
            parts = [f"{FALT_TEXT.get(k, k)} {_visa(v.get('fran'))} → {_visa(v.get('till'))}"
                     for k, v in d.get("falt", {}).items()]
            text += ": " + ", ".join(parts)
        elif self.typ is HandelseTyp.SENARELAGGNING and d.get("till"):
            text += f" till {d['till']}"
        elif self.typ is HandelseTyp.MOTIVERING:
            text += f": {d.get('text', '')}"
        elif self.typ is HandelseTyp.AVSLUTAT and d.get("orsak"):
            text += f": {d['orsak']}"
        elif self.typ in (HandelseTyp.FORSLAG, HandelseTyp.GODKANT, HandelseTyp.AVVISAT):
            text += f": {d.get('kandidat', '')}"
            if d.get("motivering"):
                text += f" – {d['motivering']}"
        if d.get("kommentar"):
            text += f" – {d['kommentar']}"
        return text


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Fälten som skiljer sig, som {fält: {"fran": gammalt, "till": nytt}}."""
    diff = {}
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            diff[key] = {"fran": old.get(key), "till": new.get(key)}
    return diff
