"""Formulären för nya och ändrade beslut och personer.

Fälten heter som kolumnerna i de kanoniska filerna, så att kärnans `parse_form` kontrollerar
dem med exakt samma regler som importen; gränssnittet gör inga egna kontroller. Felen kommer
tillbaka per fält och visas vid fältet (`FormErrors`).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import attrs

from bemanning.io.forms import FormResult, parse_form
from bemanning.model.insats import default_katalog
from bemanning.model.resurser import Vetting
from tui.screens.dialogs import Falt, FormErrors

JA_NEJ = (("Nej", "nej"), ("Ja", "ja"))
KON = (("Kvinna (K)", "K"), ("Man (M)", "M"))
LIST_HINT = "Flera värden skiljs med komma."
TIDER_HINT = "vardag, kväll, helg (en eller flera)"


def insats_options() -> tuple[tuple[str, str], ...]:
    return tuple((n, n) for n in default_katalog().names)


def beslut_falt(today: date) -> list[Falt]:
    return [
        Falt("beslut_id", "Beslut-id", placeholder="t.ex. B-2026-0123"),
        Falt("person_id", "Personnummer", secret=True, placeholder="ÅÅÅÅMMDD-NNNN eller id",
             hint="Visas inte i klartext."),
        Falt("kon", "Kön", kind="val", options=KON),
        Falt("insats", "Insats", kind="val", options=insats_options()),
        Falt("beslutsdatum", "Beslutsdatum", kind="datum", value=today.isoformat()),
        Falt("timmar_per_manad", "Timmar/månad", placeholder="t.ex. 8"),
        Falt("enhet", "Enhet", placeholder="valfritt"),
        Falt("omrade", "Område", placeholder="valfritt"),
        Falt("fodelsear", "Födelseår", placeholder="ÅÅÅÅ"),
        Falt("kon_onskemal", "Önskat kön", kind="val", options=(("Inget önskemål", ""), *KON), value=""),
        Falt("kon_krav", "Kön är krav", kind="val", options=JA_NEJ, value="nej"),
        Falt("onskat_sprak", "Önskat språk", placeholder="t.ex. arabiska"),
        Falt("sprak_krav", "Språk är krav", kind="val", options=JA_NEJ, value="nej"),
        Falt("intressen", "Intressen", hint=LIST_HINT),
        Falt("tider", "Tider", placeholder=TIDER_HINT),
        Falt("max_avstand_km", "Högst km bort"),
        Falt("sarskilda_behov", "Särskilda behov", hint=LIST_HINT),
    ]


#: Beslutets fält som "Ändra önskemål" inte visar: de följer med oförändrade och rättas med r.
BESLUT_FASTA = ("beslut_id", "person_id", "kon", "insats", "beslutsdatum")
#: Kolumner i beslutsfilen som inte hör till formuläret alls (händelser, inte uppgifter).
BESLUT_HANDELSER = ("verkstalld_datum", "avslutad_datum", "avslutsorsak")


def onskemal_falt(today: date) -> list[Falt]:
    """Beslutsformuläret utan det som rättas i stället för ändras, och dagen ändringen gäller från."""
    return [f for f in beslut_falt(today) if f.name not in BESLUT_FASTA] + [datum_falt(today)]


#: Fält som finns i personens post men inte i formuläret; de följer med oförändrade vid ändring.
UPPDRAG_DOLDA = ("x_km", "y_km", "status", "registerutdrag_datum")
PERSONAL_DOLDA = ("x_km", "y_km", "erfarenheter", "alder_min", "alder_max", "max_avstand_km")


def uppdrag_falt(today: date, *, ny: bool) -> list[Falt]:
    fields = [
        Falt("uppdragstagare_id", "Id", locked=not ny, placeholder="t.ex. U0123"),
        Falt("namn", "Namn"),
        Falt("kon", "Kön", kind="val", options=KON),
        Falt("fodelsear", "Födelseår", placeholder="ÅÅÅÅ"),
        Falt("omrade", "Område", placeholder="valfritt"),
        Falt("tider", "Tider", value="vardag, kväll, helg", hint=TIDER_HINT),
        Falt("max_uppdrag", "Högst uppdrag", value="1"),
        Falt("max_timmar_per_manad", "Högst tim/mån", value="10"),
        Falt("sprak", "Språk", hint=LIST_HINT),
        Falt("intressen", "Intressen", hint=LIST_HINT),
        Falt("erfarenheter", "Erfarenhet", hint=LIST_HINT),
        Falt("alder_min", "Ålder från", placeholder="enskildas ålder, valfritt"),
        Falt("alder_max", "Ålder till"),
        Falt("max_avstand_km", "Högst km bort"),
        Falt("kanal", "Rekryterad via", placeholder="t.ex. annons"),
    ]
    if ny:
        fields.append(Falt("status", "Granskning", kind="val", value=Vetting.INTRESSEANMALAN.value,
                           options=tuple((v.value.capitalize(), v.value) for v in Vetting if v is not Vetting.GODKAND),
                           hint="Godkänn senare med g (kräver registerutdrag)."))
    fields.append(datum_falt(today))
    return fields


def personal_falt(today: date, *, ny: bool) -> list[Falt]:
    return [
        Falt("personal_id", "Id", locked=not ny, placeholder="t.ex. P0123"),
        Falt("namn", "Namn"),
        Falt("enhet", "Enhet"),
        Falt("kompetenser", "Kompetens", hint=LIST_HINT),
        Falt("sysselsattningsgrad", "Syss.grad %", value="100"),
        Falt("onskad_grad", "Önskad grad %", placeholder="valfritt"),
        Falt("arbetstidsmatt", "Arbetstidsmått", value="38,25", hint="Timmar per vecka vid heltid."),
        Falt("kan_kontaktperson", "Kontaktperson", kind="val", options=JA_NEJ, value="nej",
             hint="Kan ta kontaktpersonsuppdrag inom resurspassen."),
        Falt("resurstimmar_per_manad", "Resurstim/mån", placeholder="valfritt"),
        Falt("max_uppdrag", "Högst uppdrag", value="1"),
        Falt("introducerad", "Introducerad", kind="val", options=JA_NEJ, value="ja"),
        Falt("kon", "Kön", kind="val", options=(("Anges inte", ""), *KON), value=""),
        Falt("fodelsear", "Födelseår", placeholder="ÅÅÅÅ"),
        Falt("tider", "Tider", value="vardag, kväll, helg", hint=TIDER_HINT),
        Falt("sprak", "Språk", hint=LIST_HINT),
        Falt("intressen", "Intressen", hint=LIST_HINT),
        datum_falt(today),
    ]


def nasta_id(ids: list[str], default_prefix: str) -> str:
    """Nästa lediga id i registrets egen form (U0040 → U0041), som förslag i ett nytt formulär."""
    import re
    from collections import Counter

    parsed = [m.groups() for i in ids if (m := re.fullmatch(r"(.*?)(\d+)", i))]
    if not parsed:
        return f"{default_prefix}0001"
    prefix = Counter(p for p, _n in parsed).most_common(1)[0][0]
    numbers = [n for p, n in parsed if p == prefix]
    width = max(len(n) for n in numbers)
    candidate = max(int(n) for n in numbers) + 1
    taken = set(ids)
    while f"{prefix}{candidate:0{width}d}" in taken:
        candidate += 1
    return f"{prefix}{candidate:0{width}d}"


def datum_falt(today: date) -> Falt:
    return Falt("datum", "Gäller från", kind="datum", value=today.isoformat(),
                hint="Dagen ändringen gäller; syns i historiken.")


def text_of(value: Any) -> str:
    """Ett värde ur modellen som text i ett formulärfält (samma form som i en importfil)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, tuple):
        return ", ".join({"kvall": "kväll"}.get(str(v), str(v)) for v in value)
    return str(value)


def prefilled(fields: list[Falt], item: Any) -> list[Falt]:
    """Fälten ifyllda med en befintlig persons värden."""
    return filled(fields, {f.name: getattr(item, f.name) for f in fields if hasattr(item, f.name)})


def filled(fields: list[Falt], values: dict[str, Any]) -> list[Falt]:
    """Fälten ifyllda ur en post med kolumnernas namn (till exempel `exporter.beslut_values`)."""
    return [attrs.evolve(f, value=text_of(values[f.name])) if f.name in values else f for f in fields]


def hidden_values(item: Any | None, names: tuple[str, ...]) -> dict[str, str]:
    if item is None:
        return {}
    return {n: text_of(getattr(item, n)) for n in names}


def check(kind: str, values: dict[str, str], today: date) -> FormResult:
    """Kärnans kontroll; fel per fält blir `FormErrors` (visas vid fälten)."""
    result = parse_form(kind, values, today=today)
    if result.errors or result.value is None:
        raise FormErrors(result.errors or {"": "Formuläret kunde inte läsas; kontrollera fälten."})
    return result
