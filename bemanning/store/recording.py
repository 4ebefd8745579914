"""Att föra in en enskild händelse för ett beslut, med kontroll av att den går ihop med historiken.

Används av kommandoraden (`bemanning registrera …`), gränssnittet och matchningens arbetsgång.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import attrs

from bemanning.errors import UserError
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.beslutsrad import BeslutRow
from bemanning.model.enhet import Enhet, Samplaneringsomrade
from bemanning.model.errors import ValidationError
from bemanning.model.handelse import UTFALL, Entitet, Handelse, HandelseTyp, changes
from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.serialize import flatten, from_record, to_record
from bemanning.model.values import parse_kon
from bemanning.store.register import Register

CORRECTABLE = ("kon", "insats", "beslutsdatum")


def current_lage(reg: Register, beslut_id: str, datum: date) -> BeslutLage:
    lage = reg.beslut_lage(beslut_id, date.max)
    if lage is None:
        raise UserError(f'Beslutet "{beslut_id}" finns inte i registret.')
    if datum < lage.beslut.beslutsdatum:
        raise UserError(f"Datumet {datum} är före beslutsdatum {lage.beslut.beslutsdatum}.")
    return lage


Seen = dict[tuple[Entitet, str], int]


def _read(reg: Register, beslut_id: str, datum: date) -> tuple[BeslutLage, Seen]:
    """Beslutet som det står och versionen det lästes i. En händelse som bygger på läsningen
    sparas med den versionen (`_append`): har någon annan sparat något för beslutet emellan vägras
    den med `ConflictError`, så att två som samtidigt för in till exempel verkställt inte båda
    kommer igenom. Versionen läses före läget, så en skrivning emellan upptäcks alltid."""
    seen = {(Entitet.BESLUT, beslut_id): reg.version(Entitet.BESLUT, beslut_id)}
    return current_lage(reg, beslut_id, datum), seen


def _append(reg: Register, beslut_id: str, typ: HandelseTyp, datum: date, data: dict[str, Any], kalla: str,
            seen: Seen) -> Handelse:
    event = Handelse(Entitet.BESLUT, beslut_id, typ, datum, data, kalla)
    reg.append([event], expected_version=seen)
    return event


def record_erbjudande(
    reg: Register, beslut_id: str, datum: date, utfall: str, *, kommentar: str = "",
    kandidat: str | None = None, kalla: str = "användare",
) -> Handelse:
    lage, seen = _read(reg, beslut_id, datum)
    if utfall not in UTFALL:
        raise UserError(f'"{utfall}" är inget utfall; välj "tackat nej" eller "accepterat".')
    if lage.is_avslutat:
        raise UserError(f"Beslutet {beslut_id} är avslutat ({lage.avslutad_datum}); inga fler erbjudanden.")
    data: dict[str, Any] = {"utfall": utfall}
    if kommentar:
        data["kommentar"] = kommentar
    if kandidat:
        data["kandidat"] = kandidat
    return _append(reg, beslut_id, HandelseTyp.ERBJUDANDE, datum, data, kalla, seen)


def record_verkstallt(reg: Register, beslut_id: str, datum: date, *, kalla: str = "användare") -> Handelse:
    lage, seen = _read(reg, beslut_id, datum)
    if lage.is_avslutat:
        raise UserError(f"Beslutet {beslut_id} är avslutat och kan inte verkställas.")
    if lage.is_verkstallt:
        raise UserError(f"Beslutet {beslut_id} är redan verkställt ({lage.verkstalld_datum}).")
    if lage.open_avbrott is not None:
        return _append(reg, beslut_id, HandelseTyp.ATERUPPTAGET, datum, {}, kalla, seen)
    return _append(reg, beslut_id, HandelseTyp.VERKSTALLT, datum, {}, kalla, seen)


def record_avbrott(reg: Register, beslut_id: str, datum: date, *, kommentar: str = "", kalla: str = "användare") -> Handelse:
    lage, seen = _read(reg, beslut_id, datum)
    if not lage.is_verkstallt or lage.is_avslutat:
        raise UserError(f"Beslutet {beslut_id} är inte verkställt just nu; ett avbrott gäller bara en pågående insats.")
    return _append(reg, beslut_id, HandelseTyp.AVBROTT, datum, {"kommentar": kommentar} if kommentar else {}, kalla, seen)


def record_aterupptaget(reg: Register, beslut_id: str, datum: date, *, kalla: str = "användare") -> Handelse:
    lage, seen = _read(reg, beslut_id, datum)
    if lage.open_avbrott is None:
        raise UserError(f"Beslutet {beslut_id} har inget pågående avbrott att återuppta.")
    if datum < lage.open_avbrott.datum:
        raise UserError(f"Datumet {datum} är före avbrottet {lage.open_avbrott.datum}.")
    return _append(reg, beslut_id, HandelseTyp.ATERUPPTAGET, datum, {}, kalla, seen)


def record_avslutat(reg: Register, beslut_id: str, datum: date, orsak: str, *, kalla: str = "användare") -> Handelse:
    lage, seen = _read(reg, beslut_id, datum)
    if lage.is_avslutat:
        raise UserError(f"Beslutet {beslut_id} är redan avslutat ({lage.avslutad_datum}).")
    if not orsak.strip():
        raise UserError("Ange varför beslutet avslutas (till exempel ansökan återtagen, behovet upphört, flyttat).")
    return _append(reg, beslut_id, HandelseTyp.AVSLUTAT, datum, {"orsak": orsak.strip()}, kalla, seen)


def record_senarelaggning(
    reg: Register, beslut_id: str, datum: date, *, till: date | None = None, kommentar: str = "",
    kalla: str = "användare",
) -> Handelse:
    """Den enskilde har begärt att verkställandet skjuts upp (34 kap. 6 § SoL (2025:400))."""
    lage, seen = _read(reg, beslut_id, datum)
    if lage.is_avslutat:
        raise UserError(f"Beslutet {beslut_id} är avslutat ({lage.avslutad_datum}); ingen senareläggning.")
    if till is not None and till < datum:
        raise UserError(f"Senareläggningen slutar ({till}) före den börjar ({datum}); ange --till efter --datum.")
    data: dict[str, Any] = {}
    if till is not None:
        data["till"] = till.isoformat()
    if kommentar:
        data["kommentar"] = kommentar
    return _append(reg, beslut_id, HandelseTyp.SENARELAGGNING, datum, data, kalla, seen)


#: Den skriftliga motiveringen är kort: den står i IVO:s fritextfält och i revisorernas rapport.
MOTIVERING_MAX = 1000
_PERSONNUMMER_I_TEXT = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")


def record_motivering(
    reg: Register, beslut_id: str, datum: date, text: str, *, kalla: str = "användare"
) -> Handelse:
    """Handläggarens skäl till dröjsmålet; gäller från `datum` och vinner över utkastet.

    Texten går till IVO och revisorerna: den får inte innehålla personnummer (kontrolleras här)
    och ska inte innehålla namn (påminnelsen står i meddelandet)."""
    _lage, seen = _read(reg, beslut_id, datum)
    clean = " ".join(text.split())
    if not clean:
        raise UserError("Skriv skälen till dröjsmålet (en kort text, utan namn och personnummer).")
    if len(clean) > MOTIVERING_MAX:
        raise UserError(f"Motiveringen är {len(clean)} tecken; korta den till högst {MOTIVERING_MAX}.")
    if _PERSONNUMMER_I_TEXT.search(clean):
        raise UserError("Motiveringen innehåller något som liknar ett personnummer; ta bort det. "
                        "Texten går till IVO och revisorerna och får inte innehålla namn eller personnummer.")
    return _append(reg, beslut_id, HandelseTyp.MOTIVERING, datum, {"text": clean}, kalla, seen)


def record_rattelse(
    reg: Register, beslut_id: str, falt: str, varde: str, datum: date, *, kalla: str = "användare"
) -> Handelse:
    """Rätta kön, insats eller beslutsdatum. Den gamla uppgiften finns kvar i historiken."""
    lage, seen = _read(reg, beslut_id, datum)
    if falt not in CORRECTABLE:
        raise UserError(f'"{falt}" kan inte rättas här; välj bland {", ".join(CORRECTABLE)}.')
    try:
        if falt == "kon":
            if lage.enskild is None:
                raise UserError(f"Beslutet {beslut_id} saknar uppgift om den enskilde.")
            new = parse_kon("kon", varde).value
            old = lage.enskild.kon.value
            if new == old:
                raise UserError(f"Kön är redan {old}.")
            event = Handelse(Entitet.ENSKILD, lage.enskild.person_id, HandelseTyp.KORRIGERAD, datum,
                             {"falt": {"kon": {"fran": old, "till": new}}, "beslut_id": beslut_id}, kalla)
            reg.append([event], expected_version=seen)
            return event
        if falt == "insats":
            new = reg.katalog.resolve(varde).namn
            old = lage.beslut.insats
        else:
            from bemanning.model.values import parse_date

            new = parse_date("beslutsdatum", varde).isoformat()
            old = lage.beslut.beslutsdatum.isoformat()
    except ValidationError as exc:
        raise UserError(f"{exc.field}: {exc.message}") from None
    if new == old:
        raise UserError(f"{falt} är redan {old}.")
    return _append(reg, beslut_id, HandelseTyp.KORRIGERAD, datum, {"falt": {falt: {"fran": old, "till": new}}}, kalla, seen)


def record_beslut(reg: Register, row: BeslutRow, *, kalla: str = "användare") -> list[Handelse]:
    """Registrera ett nytt beslut (och den enskilde om hen är ny), i en transaktion."""
    beslut, enskild = row.beslut, row.enskild
    if reg.beslut_lage(beslut.beslut_id, date.max) is not None:
        raise UserError(f'Beslutet "{beslut.beslut_id}" finns redan; välj ett annat beslut_id.')
    events = []
    known = reg.enskild(enskild.person_id)
    if known is None:
        events.append(Handelse(Entitet.ENSKILD, enskild.person_id, HandelseTyp.REGISTRERAD,
                               beslut.beslutsdatum, to_record(enskild), kalla))
    elif known.kon != enskild.kon:
        raise UserError(
            f"Den enskilde finns redan med kön {known.kon.value}. Rätta kön för hens beslut "
            "(registrera rattelse) i stället för att ange ett annat kön här."
        )
    events.append(Handelse(Entitet.BESLUT, beslut.beslut_id, HandelseTyp.REGISTRERAD,
                           beslut.beslutsdatum, to_record(beslut), kalla))
    if row.verkstalld_datum:
        events.append(Handelse(Entitet.BESLUT, beslut.beslut_id, HandelseTyp.VERKSTALLT, row.verkstalld_datum, {}, kalla))
    if row.avslutad_datum:
        events.append(Handelse(Entitet.BESLUT, beslut.beslut_id, HandelseTyp.AVSLUTAT, row.avslutad_datum,
                               {"orsak": row.avslutsorsak}, kalla))
    reg.append(events)
    return events


#: Det som ändras med en daterad ändring (inte en rättelse): beslutets omfattning, enhet och
#: önskemålen inför matchningen, och den enskildes område och födelseår (matchningen räknar med
#: dem). Nycklarna är postens, med punkt för önskemålen. Kön, insats och beslutsdatum rättas med
#: `record_rattelse`; undantagna personer sätts av matchningen.
ANDRINGSBARA_BESLUT = (
    "omfattning_timmar", "enhet", "onskemal.kon", "onskemal.kon_krav", "onskemal.sprak",
    "onskemal.sprak_krav", "onskemal.intressen", "onskemal.tider", "onskemal.max_avstand_km",
    "onskemal.sarskilda_behov",
)
ANDRINGSBARA_ENSKILD = ("omrade", "fodelsear")


def _diff(old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {f: {"fran": old.get(f), "till": new.get(f)} for f in fields if old.get(f) != new.get(f)}


def beslut_versions(reg: Register, lage: BeslutLage) -> dict[tuple[Entitet, str], int]:
    """Versionerna av beslutet och den enskilde som ett formulär visar, att skicka tillbaka som
    `expected_version` till `record_andring` när det sparas (optimistisk versionering)."""
    versions = {(Entitet.BESLUT, lage.beslut_id): reg.version(Entitet.BESLUT, lage.beslut_id)}
    if lage.enskild is not None:
        key = (Entitet.ENSKILD, lage.enskild.person_id)
        versions[key] = reg.version(*key)
    return versions


def record_andring(
    reg: Register, row: BeslutRow, datum: date, *,
    expected_version: dict[tuple[Entitet, str], int] | None = None, kalla: str = "användare",
) -> list[Handelse]:
    """Ändra ett besluts önskemål, omfattning och enhet (och den enskildes område och födelseår)
    från `datum`, som daterade ändringar med gamla och nya värden, i en transaktion.

    `row` är hela beslutet som formuläret eller filen ger det (`parse_form("beslut", …)`). Id,
    den enskilde, kön, insats och beslutsdatum måste vara desamma som i registret: de rättas med
    `record_rattelse`. Det som stod före `datum` läses fortfarande per en tidigare dag. Med
    `expected_version` (se `beslut_versions`) vägras skrivningen med `ConflictError` om någon
    annan har sparat något för beslutet eller den enskilde sedan dess. Returnerar händelserna,
    en tom lista när inget skiljer sig från registret.
    """
    beslut_id = row.beslut.beslut_id
    lage = current_lage(reg, beslut_id, datum)
    old = lage.beslut
    if row.beslut.person_id != old.person_id:
        raise UserError(f"Beslutet {beslut_id} gäller en annan enskild; den enskilde kan inte bytas här.")
    fixed = {
        "kön": (lage.enskild.kon if lage.enskild else row.enskild.kon, row.enskild.kon),
        "insats": (old.insats, row.beslut.insats),
        "beslutsdatum": (old.beslutsdatum, row.beslut.beslutsdatum),
    }
    for name, (before, after) in fixed.items():
        if before != after:
            raise UserError(f"{name.capitalize()} ändras inte här; för in en rättelse, så finns det gamla "
                            "värdet kvar i historiken.")
    events = []
    diff = _diff(flatten(to_record(old)), flatten(to_record(row.beslut)), ANDRINGSBARA_BESLUT)
    if diff:
        events.append(Handelse(Entitet.BESLUT, beslut_id, HandelseTyp.ANDRAD, datum, {"falt": diff}, kalla))
    if lage.enskild is not None:
        diff = _diff(to_record(lage.enskild), to_record(row.enskild), ANDRINGSBARA_ENSKILD)
        if diff:
            # beslut_id följer med så att loggningen kan peka på beslutet i stället för på personen
            events.append(Handelse(Entitet.ENSKILD, lage.enskild.person_id, HandelseTyp.ANDRAD, datum,
                                   {"falt": diff, "beslut_id": beslut_id}, kalla))
    if events:
        reg.append(events, expected_version=expected_version)
    return events


_RESOURCE_ENTITIES: dict[type, tuple[Entitet, str]] = {
    Uppdragstagare: (Entitet.UPPDRAGSTAGARE, "uppdragstagare_id"),
    Personal: (Entitet.PERSONAL, "personal_id"),
    Enhet: (Entitet.ENHET, "enhet_id"),
    Samplaneringsomrade: (Entitet.OMRADE, "omrade_id"),
}


def create_resurs(reg: Register, item: Any, datum: date, *, kalla: str = "användare") -> Handelse:
    """Registrera en ny person eller enhet. Finns id:t redan vägrar registret (AlreadyExistsError)
    och ingenting sparas: att skapa skriver aldrig över."""
    entitet, key_field = _RESOURCE_ENTITIES[type(item)]
    event = Handelse(entitet, getattr(item, key_field), HandelseTyp.REGISTRERAD, datum, to_record(item), kalla)
    reg.append([event])
    return event


def change_resurs(reg: Register, item: Any, datum: date, *, kalla: str = "användare") -> Handelse | None:
    """En befintlig person eller enhet får en daterad ändring med gamla och nya värden.

    Returnerar None när inget skiljer sig från registret. Posten måste finnas; en ny skapas med
    `create_resurs`. Har någon annan sparat posten sedan den lästes här vägras ändringen.
    """
    entitet, key_field = _RESOURCE_ENTITIES[type(item)]
    key = getattr(item, key_field)
    version = reg.version(entitet, key)
    stored = reg.resource_record(entitet, key)
    if stored is None:
        raise UserError(f'"{key}" finns inte i registret; lägg till posten som ny i stället.')
    diff = changes(stored, to_record(item))
    if not diff:
        return None
    event = Handelse(entitet, key, HandelseTyp.ANDRAD, datum, {"falt": diff}, kalla)
    reg.append([event], expected_version={(entitet, key): version})
    return event


def set_vetting(reg: Register, uppdragstagare_id: str, status: Vetting, datum: date,
                *, registerutdrag_datum: date | None = None, kalla: str = "användare") -> Handelse:
    """Flytta en uppdragstagare i rekryteringen (intresseanmälan → … → godkänd)."""
    stored = reg.resource_record(Entitet.UPPDRAGSTAGARE, uppdragstagare_id)
    if stored is None:
        raise UserError(f'Uppdragstagaren "{uppdragstagare_id}" finns inte i registret.')
    person = from_record(Uppdragstagare, stored)
    if status is Vetting.GODKAND and (registerutdrag_datum or person.registerutdrag_datum) is None:
        raise UserError("Ange datum för registerutdraget innan uppdragstagaren godkänns.")
    updated = attrs.evolve(person, status=status,
                           registerutdrag_datum=registerutdrag_datum or person.registerutdrag_datum)
    event = change_resurs(reg, updated, datum, kalla=kalla)
    if event is None:
        raise UserError(f"Uppdragstagaren har redan status {status.value}.")
    return event
