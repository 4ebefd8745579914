"""Skälen till dröjsmålet med ord: ett utkast ur beslutets daterade historik.

34 kap. 1 § SoL (2025:400) och 28 f § LSS vill ha *kortfattat skälen för dröjsmålet* för varje
beslut, och IVO ber att erbjudanden och uppföljning beskrivs. Utkastet byggs bara av datum,
insatsens namn, fasta fraser, erbjudandenas utfall och matchningens bindande krav, till
exempel "Erbjudande om kontaktperson 2024-01-10, tackat nej. Ingen godkänd och ledig person
talar finska." Kommentarer, kandidaternas id och namn och avslutsorsaker tas aldrig med.

Handläggaren kan skriva egna skäl (händelsen `motivering`, `bemanning registrera motivering`);
den senaste som gäller väntan vinner över utkastet. Går texten inte igenom granskningen
(`granska`: ett id, ett personnummer eller ett känt namn) används utkastet och rapporten får en
varning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from bemanning.model.beslutslage import BeslutLage
from bemanning.model.insats import Katalog, default_katalog

#: Ett ord med både bokstäver och siffror (VON23-024, U17, P-12) ser ut som ett id.
_ID_LIKE = re.compile(r"(?<![\w-])(?=[\w-]*[^\W\d_])(?=[\w-]*\d)[\w-]+")
_PERSONNUMMER = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")


@attrs.frozen
class Matchningsskal:
    """Varför matchningen inte hittade någon: det bindande kravet, med dagen den kördes."""

    datum: date
    text: str  # en mening utan namn och id, t.ex. "Ingen godkänd och ledig person talar finska."


@attrs.frozen
class Motivering:
    text: str
    egen: bool  # handläggarens text (annars utkastet)
    varning: str = ""


def _insats_ord(insats: str, katalog: Katalog) -> str:
    """"SoL – kontaktperson" → "kontaktperson"; en plats: "plats i äldreboende – demens"."""
    found = katalog.find(insats)
    name = found.namn if found else insats
    for prefix in ("SoL – ", "LSS – "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    name = name[:1].lower() + name[1:]
    if found is not None and not found.is_matchable:
        return f"plats i {name}" if not name.startswith("plats") else name
    return name


def utkast(
    lage: BeslutLage,
    start: date,
    per: date,
    *,
    avbrott: bool = False,
    katalog: Katalog | None = None,
    matchning: Matchningsskal | None = None,
) -> str:
    """Ett kort utkast ur historiken för väntan som började `start`, som den stod `per`."""
    katalog = katalog or default_katalog()
    ord_ = _insats_ord(lage.beslut.insats, katalog)
    meningar: list[tuple[date, str]] = []
    if avbrott:
        meningar.append((start, f"Insatsen avbröts {start.isoformat()} och har inte återupptagits."))
    erbjudanden = [e for e in lage.erbjudanden if start <= e.datum <= per]
    for e in erbjudanden:
        utfall = "tackat nej" if e.declined else "accepterat"
        meningar.append((e.datum, f"Erbjudande om {ord_} {e.datum.isoformat()}, {utfall}."))
    for f in lage.forslag:
        if not start <= f.datum <= per or f.status in ("erbjuden", "accepterad", "tackat nej"):
            continue  # erbjudandet självt står redan med
        if f.status == "avvisad":
            meningar.append((f.datum, f"Förslag ur matchningen {f.datum.isoformat()} avvisades av enhetschefen."))
        elif f.status == "godkänd":
            meningar.append((f.datum, f"Förslag ur matchningen {f.datum.isoformat()} godkänt, ännu inte erbjudet."))
        else:
            meningar.append((f.datum, f"Förslag ur matchningen {f.datum.isoformat()} väntar på enhetschefen."))
    for s in lage.senarelaggningar:
        if start <= s.datum <= per:
            till = f" till {s.till.isoformat()}" if s.till else ""
            meningar.append((s.datum, f"Den enskilde begärde {s.datum.isoformat()} att verkställandet "
                                      f"skjuts upp{till}."))
    meningar.sort(key=lambda pair: pair[0])
    text = [m for _, m in meningar]
    postponed = any(start <= s.datum <= per for s in lage.senarelaggningar)
    if not erbjudanden and not postponed and lage.beslut.orsak in (None, 2):
        text.append(f"Resursbrist: {ord_} har inte kunnat erbjudas.")
    if matchning is not None and start <= matchning.datum:
        text.append(f"Matchning {matchning.datum.isoformat()}: {matchning.text}")
    if not text:
        text.append("Annat skäl, inte närmare beskrivet.")
    return " ".join(text)


def granska(text: str, forbjudna: Iterable[str] = ()) -> str:
    """Tomt om texten kan lämnas ut; annars vad som stoppade den (utan att upprepa det)."""
    if _PERSONNUMMER.search(text):
        return "något som liknar ett personnummer"
    if _ID_LIKE.search(text):
        return "något som liknar ett id (bokstäver och siffror i samma ord)"
    words = {w.lower() for w in _WORD.findall(text)}
    lowered = text.lower()
    for item in forbjudna:
        item = item.strip()
        if len(item) < 2:
            continue
        if " " in item or not item.isalpha():
            if item.lower() in lowered:
                return "ett namn eller id ur registret"
        elif item.lower() in words:
            return "ett namn eller id ur registret"
    return ""


def forbjudna_ord(lagen: Iterable[BeslutLage], namn: Iterable[str] = ()) -> set[str]:
    """Id och namn som aldrig får stå i en motivering: beslut-, person- och kandidat-id, och
    namnen (för- och efternamn var för sig) på uppdragstagare och personal."""
    result: set[str] = set()
    for lage in lagen:
        result.add(lage.beslut.beslut_id)
        result.add(lage.beslut.person_id)
        result.update(e.kandidat for e in lage.erbjudanden if e.kandidat)
        result.update(f.kandidat for f in lage.forslag)
    for full in namn:
        result.update(part for part in full.split() if len(part) >= 2)
    return result


def motivering(
    lage: BeslutLage,
    start: date,
    per: date,
    *,
    avbrott: bool = False,
    katalog: Katalog | None = None,
    matchning: Mapping[str, Matchningsskal] | None = None,
    forbjudna: Iterable[str] = (),
) -> Motivering:
    """Handläggarens senaste text för väntan (om den går igenom granskningen), annars utkastet."""
    draft = utkast(lage, start, per, avbrott=avbrott, katalog=katalog,
                   matchning=(matchning or {}).get(lage.beslut.beslut_id))
    own = [m for m in lage.motiveringar if start <= m.datum <= per]
    if not own:
        varning = ""
        if draft == "Annat skäl, inte närmare beskrivet.":
            varning = (f"Beslut {lage.beslut.beslut_id}: orsaken är Annat och skälen är inte beskrivna; skriv "
                       f'dem med bemanning registrera motivering {lage.beslut.beslut_id} "…".')
        return Motivering(draft, egen=False, varning=varning)
    text = own[-1].text
    problem = granska(text, forbjudna)
    if problem:
        return Motivering(
            draft, egen=False,
            varning=(f"Beslut {lage.beslut.beslut_id}: den skrivna motiveringen ({own[-1].datum.isoformat()}) "
                     f"innehåller {problem} och används inte; utkastet står i stället. Skriv om den med "
                     f'bemanning registrera motivering {lage.beslut.beslut_id} "…".'),
        )
    return Motivering(text, egen=True)
