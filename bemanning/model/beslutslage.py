"""Ett besluts läge en viss dag, byggt av dess händelser (och den enskildes).

Detta är den enda platsen där händelser viks ihop till ett läge; rapporter, matchning och
gränssnitt läser läget härifrån.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from bemanning.model.beslut import Beslut
from bemanning.model.enskild import Enskild
from bemanning.model.handelse import Handelse, HandelseTyp
from bemanning.model.serialize import from_record


@attrs.frozen
class Erbjudande:
    datum: date
    utfall: str  # "tackat nej" eller "accepterat"
    kommentar: str = ""
    kandidat: str | None = None

    @property
    def declined(self) -> bool:
        return self.utfall == "tackat nej"


@attrs.frozen
class Avbrott:
    datum: date
    aterupptaget: date | None = None


@attrs.frozen
class Senarelaggning:
    """Den enskilde har begärt att verkställandet skjuts upp, från `datum` (till `till`, om angivet)."""

    datum: date
    till: date | None = None

    def galler(self, day: date) -> bool:
        return self.datum <= day and (self.till is None or day <= self.till)


@attrs.frozen
class Motivering:
    """Handläggarens skriftliga skäl till dröjsmålet, från `datum`."""

    datum: date
    text: str


@attrs.frozen
class Forslag:
    """Ett förslag ur matchningen och vad enhetschefen gjort med det."""

    kandidat: str
    datum: date
    status: str = "föreslagen"  # föreslagen, godkänd, avvisad, erbjuden, accepterad, tackat nej
    motivering: str = ""


@attrs.frozen
class BeslutLage:
    beslut: Beslut
    enskild: Enskild | None
    per: date
    erbjudanden: tuple[Erbjudande, ...] = ()
    verkstalld_datum: date | None = None
    avslutad_datum: date | None = None
    avslutsorsak: str = ""
    avbrott: tuple[Avbrott, ...] = ()
    forslag: tuple[Forslag, ...] = ()
    historik: tuple[Handelse, ...] = ()
    senarelaggningar: tuple[Senarelaggning, ...] = ()
    motiveringar: tuple[Motivering, ...] = ()

    @property
    def motivering(self) -> str:
        """Den senast registrerade skriftliga motiveringen (tom om ingen)."""
        return self.motiveringar[-1].text if self.motiveringar else ""

    @property
    def beslut_id(self) -> str:
        return self.beslut.beslut_id

    @property
    def is_avslutat(self) -> bool:
        """Avslutat till och med lägets dag (en rättelse kan ge ett senare datum: då inte än)."""
        return self.avslutad_datum is not None and self.avslutad_datum <= self.per

    @property
    def verkstalld_per(self) -> date | None:
        """Verkställighetsdatumet om det är till och med lägets dag. En rättelse som flyttar
        verkställandet till ett senare datum gör inte beslutet verkställt förrän den dagen, precis
        som väntetiden (`vantetid.vantetider`) räknar."""
        if self.verkstalld_datum is not None and self.verkstalld_datum <= self.per:
            return self.verkstalld_datum
        return None

    @property
    def open_avbrott(self) -> Avbrott | None:
        """Ett avbrott som inte återupptagits (per läget)."""
        for item in reversed(self.avbrott):
            if item.aterupptaget is None:
                return item
        return None

    @property
    def is_verkstallt(self) -> bool:
        return self.verkstalld_per is not None and self.open_avbrott is None

    @property
    def is_open(self) -> bool:
        """Väntar på att verkställas: inte verkställt (eller avbrutet) och inte avslutat."""
        return not self.is_avslutat and not self.is_verkstallt

    @property
    def status(self) -> str:
        if self.is_avslutat:
            return "avslutat"
        if self.open_avbrott is not None:
            return "avbrott"
        if self.verkstalld_per is not None:
            return "verkställt"
        return "ej verkställt"

    @property
    def latest_offer(self) -> Erbjudande | None:
        return self.erbjudanden[-1] if self.erbjudanden else None

    @property
    def declined_candidates(self) -> frozenset[str]:
        """Personer som den enskilde tackat nej till: de föreslås aldrig igen."""
        return frozenset(e.kandidat for e in self.erbjudanden if e.declined and e.kandidat)

    def waiting_days(self) -> int:
        """Dagar från beslutsdatum (eller öppet avbrott) till lägets dag."""
        start = self.open_avbrott.datum if self.open_avbrott else self.beslut.beslutsdatum
        return (self.per - start).days


#: Varför ett par (beslut, person) aldrig föreslås igen: personen är undantagen i beslutet,
#: enhetschefen avvisade förslaget, eller den enskilde tackade nej (det sista väger tyngst).
UNDANTAGEN, AVVISAD, TACKAT_NEJ = "undantagen", "avvisad", "tackat nej"


def latest_forslag(forslag: Iterable[Forslag], statuses: tuple[str, ...]) -> Forslag | None:
    """Det senaste förslaget med en av `statuses` (det första av flera samma dag)."""
    found = [f for f in forslag if f.status in statuses]
    return max(found, key=lambda f: f.datum) if found else None


def uteslutna(undantagna: Iterable[str], forslag: Sequence[Forslag], declined: Iterable[str]) -> dict[str, str]:
    """Personerna som inte föreslås för beslutet, med varför (`UNDANTAGEN`, `AVVISAD`, `TACKAT_NEJ`)."""
    out = {key: UNDANTAGEN for key in undantagna}
    for f in forslag:
        if f.status == "avvisad":
            out.setdefault(f.kandidat, AVVISAD)
    for key in declined:
        out[key] = TACKAT_NEJ
    return out


def tidigare_forslag(forslag: Sequence[Forslag], utesluten: dict[str, str]) -> Forslag | None:
    """Det senaste förslaget som fortfarande gäller (föreslaget, godkänt eller accepterat, och
    personen inte utesluten): matchningen håller fast vid det om inget är klart bättre."""
    previous = latest_forslag(forslag, ("föreslagen", "godkänd", "accepterad"))
    return None if previous is None or previous.kandidat in utesluten else previous


def apply_fields(record: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Fältens nya värden ur en rättelse (`falt`: fält → {"fran", "till"}), också nästlade."""
    updated = dict(record)
    for key, change in changes.items():
        if "." in key:  # nästlat fält, t.ex. onskemal.kon
            outer, inner = key.split(".", 1)
            nested = dict(updated.get(outer) or {})
            nested[inner] = change["till"]
            updated[outer] = nested
        else:
            updated[key] = change["till"]
    return updated


def fold_record(events: Iterable[Handelse]) -> dict[str, Any] | None:
    """Posten (fält → värde) efter registrering och rättelser/ändringar, i händelseordning."""
    record: dict[str, Any] | None = None
    for event in events:
        if event.typ is HandelseTyp.REGISTRERAD:
            record = dict(event.data)
        elif event.typ in (HandelseTyp.KORRIGERAD, HandelseTyp.ANDRAD) and record is not None:
            record = apply_fields(record, event.data.get("falt", {}))
    return record


def fold_beslut(
    events: Iterable[Handelse], enskild: Enskild | None, per: date
) -> BeslutLage | None:
    """Viker ihop ett besluts händelser med datum till och med `per` (i registreringsordning)."""
    relevant = [e for e in events if e.datum <= per]
    record: dict[str, Any] | None = None
    erbjudanden: list[Erbjudande] = []
    avbrott: list[Avbrott] = []
    forslag: dict[str, Forslag] = {}
    verkstalld: date | None = None
    avslutad: date | None = None
    avslutsorsak = ""
    senarelaggningar: list[Senarelaggning] = []
    motiveringar: list[Motivering] = []
    for event in relevant:
        d = event.data
        typ = event.typ
        if typ is HandelseTyp.REGISTRERAD:
            record = dict(d)
        elif typ in (HandelseTyp.KORRIGERAD, HandelseTyp.ANDRAD) and record is not None:
            # rättelse (det var fel från början) och ändring (önskemålen ändras från en dag) viks
            # ihop på samma sätt; skillnaden syns i historiken
            falt = dict(d.get("falt", {}))
            if "verkstalld_datum" in falt:
                value = falt.pop("verkstalld_datum")["till"]
                verkstalld = date.fromisoformat(value) if value else None
            if "avslutad_datum" in falt:
                value = falt.pop("avslutad_datum")["till"]
                avslutad = date.fromisoformat(value) if value else None
            if "avslutsorsak" in falt:
                avslutsorsak = falt.pop("avslutsorsak")["till"] or ""
            record = apply_fields(record, falt)
        elif typ is HandelseTyp.ERBJUDANDE:
            erbjudanden.append(
                Erbjudande(
                    datum=event.datum,
                    utfall=d.get("utfall", ""),
                    kommentar=d.get("kommentar", ""),
                    kandidat=d.get("kandidat"),
                )
            )
            kandidat = d.get("kandidat")
            if kandidat and kandidat in forslag:
                status = "tackat nej" if d.get("utfall") == "tackat nej" else "accepterad"
                forslag[kandidat] = attrs.evolve(forslag[kandidat], status=status)
        elif typ is HandelseTyp.VERKSTALLT:
            verkstalld = event.datum
        elif typ is HandelseTyp.AVBROTT:
            avbrott.append(Avbrott(datum=event.datum))
        elif typ is HandelseTyp.ATERUPPTAGET:
            for index in range(len(avbrott) - 1, -1, -1):
                if avbrott[index].aterupptaget is None:
                    avbrott[index] = attrs.evolve(avbrott[index], aterupptaget=event.datum)
                    break
        elif typ is HandelseTyp.AVSLUTAT:
            avslutad = event.datum
            avslutsorsak = d.get("orsak", "")
        elif typ is HandelseTyp.SENARELAGGNING:
            till = d.get("till")
            senarelaggningar.append(
                Senarelaggning(event.datum, date.fromisoformat(till) if till else None)
            )
        elif typ is HandelseTyp.MOTIVERING:
            motiveringar.append(Motivering(event.datum, str(d.get("text", ""))))
        elif typ is HandelseTyp.FORSLAG:
            forslag[d["kandidat"]] = Forslag(
                kandidat=d["kandidat"], datum=event.datum, motivering=d.get("motivering", "")
            )
        elif typ is HandelseTyp.GODKANT and d.get("kandidat") in forslag:
            forslag[d["kandidat"]] = attrs.evolve(forslag[d["kandidat"]], status="godkänd")
        elif typ is HandelseTyp.AVVISAT and d.get("kandidat") in forslag:
            forslag[d["kandidat"]] = attrs.evolve(forslag[d["kandidat"]], status="avvisad")
    if record is None:
        return None
    erbjudanden.sort(key=lambda e: e.datum)
    return BeslutLage(
        beslut=from_record(Beslut, record),
        enskild=enskild,
        per=per,
        erbjudanden=tuple(erbjudanden),
        verkstalld_datum=verkstalld,
        avslutad_datum=avslutad,
        avslutsorsak=avslutsorsak,
        avbrott=tuple(avbrott),
        forslag=tuple(forslag.values()),
        historik=tuple(relevant),
        senarelaggningar=tuple(sorted(senarelaggningar, key=lambda x: x.datum)),
        motiveringar=tuple(sorted(motiveringar, key=lambda x: x.datum)),
    )
