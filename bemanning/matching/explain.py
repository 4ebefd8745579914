"""Förklaringar på vanlig svenska: varför ett förslag är bra, och varför ett beslut blev utan person.

Huvudtexten är korta meningar, det viktigaste först, och säger något man kan göra något åt.
Vikter, poäng och hela kedjan av krav hör till detaljerna (`detaljer`, `item_line`), som
skärmen visar först när man ber om dem.

För ett förslag: en mening om varför just den här personen (de önskemål som uppfylls, det som
väger mest först) och en mening per önskemål som inte uppfylls.

För ett beslut utan person finns två slags skäl:

- **krav**: ingen person uppfyller kraven. Det bindande kravet är det där ingen återstår när
  kraven prövas i ordning; huvudtexten nämner det och vad som ligger närmast ("Ingen godkänd
  uppdragstagare som talar finska bor inom 30 km. Närmast: U0012 (42 km)."). Detaljerna går
  igenom kraven ett i taget och säger hur många som skulle passa om just ett krav släpptes.
- **upptagen**: det finns personer som passar, men de har fått beslut som väntat längre
  (eller som annars skulle bli utan person). Är det personens timmar i månaden som tar slut
  före antalet uppdrag, säger texten det.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

import attrs

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import PERSONAL, UPPDRAGSTAGARE, Kandidat
from bemanning.matching.preferences import Onskemal
from bemanning.matching.requirements import (
    Context,
    Kravkolumner,
    Requirement,
    applicable,
    avstand_km,
)
from bemanning.model.values import format_number
from bemanning.svenska import antal

KRAV = "krav"
UPPTAGEN = "upptagen"

#: Kravets namn i "uppfyller kraven på kön, ålder och tider".
KRAV_ORD = {
    "personal": "anställning",
    "utesluten": "undantag",
    "kon": "kön",
    "sprak": "språk",
    "behov": "särskilda behov",
    "alder": "ålder",
    "tider": "tider",
    "avstand": "avstånd",
    "kapacitet": "tid",
}

#: Högst så många års skillnad kallas "nära i ålder".
NARA_I_ALDER = 10

#: Högst så många id i en uppräkning i huvudtexten.
HOGST_ID = 3


# Steg och Forklaring ändras aldrig efter att de skapats (jämförs och hashas på fälten), men är inte
# frysta attrs-objekt: en matchning på 100 000 beslut skapar tiotusentals, och ett fryst objekt sätter
# varje fält genom `object.__setattr__` (omkring tre gånger så lång tid att skapa; som `Arende`).


@attrs.define(slots=True, unsafe_hash=True)
class Steg:
    kod: str
    rubrik: str
    text: str  # "talar finska"
    kvar: int  # hur många som återstår efter kravet


@attrs.define(slots=True, unsafe_hash=True)
class Forklaring:
    kod: str  # KRAV eller UPPTAGEN
    krav: str | None  # det bindande kravets kod (vid KRAV)
    text: str  # korta meningar: skälet och vad som ligger närmast
    detaljer: tuple[str, ...] = ()  # en mening per rad, för vyn Detaljer
    kedja: tuple[Steg, ...] = ()
    utan_krav: tuple[tuple[str, int], ...] = ()  # (kravets kod, hur många som då skulle passa)
    upptagna_av: tuple[str, ...] = ()  # beslut som har de personer som passar


# -- små språkhjälpare ------------------------------------------------------------------------


def _mening(text: str) -> str:
    """Stor bokstav först och punkt sist, utan att röra resten (namn, förkortningar)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _uppräkning(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


_ANTAL: dict[tuple[object, str, str], str] = {}


def _antal(n: int | float, en: str, flera: str) -> str:
    """`antal` med minne: förklaringarna skriver samma antal många gånger."""
    key = (n, en, flera)
    found = _ANTAL.get(key)
    if found is None:
        if len(_ANTAL) > 10000:
            _ANTAL.clear()
        found = _ANTAL[key] = antal(n, en, flera)
    return found


def _personer(n: int) -> str:
    return _antal(n, "person", "personer")


def _timmar(h: float) -> str:
    return _antal(round(h, 1), "timme", "timmar")


def _ids(kandidater: Sequence[Kandidat]) -> str:
    ids = [k.kandidat_id for k in kandidater]
    if len(ids) > HOGST_ID:
        return ", ".join(ids[:HOGST_ID]) + f" och {len(ids) - HOGST_ID} till"
    return _uppräkning(ids)


# -- beslut utan person: krav -------------------------------------------------------------


def _kort(req: Requirement, a: Arende, ctx: Context) -> str:
    """Kravet som en kort predikatsfras i singular: "talar finska", "bor inom 30 km"."""
    if req.kod == "avstand":
        limit = _beslutets_grans(a, ctx)
        return f"bor inom {format_number(limit)} km" if limit is not None else "bor så nära som hen vill resa"
    if req.kod == "kon":
        return "är kvinna" if a.kon is not None and a.kon.value == "K" else "är man"
    if req.kod == "alder":
        return f"tar uppdrag för en {a.alder}-åring"
    if req.kod == "kapacitet":
        return f"har tid för ett uppdrag till ({_timmar(a.timmar)} i månaden)"
    if req.kod == "personal":
        return "är anställd"
    return req.phrase(a, ctx)


def _subjekt(kandidater: Sequence[Kandidat]) -> str:
    typer = {k.typ for k in kandidater if k.hinder is None}
    if typer == {UPPDRAGSTAGARE}:
        return "godkänd uppdragstagare"
    if typer == {PERSONAL}:
        return "anställd med lediga resurstimmar"
    return "godkänd person"


def requirement_chain(a: Arende, kandidater: Sequence[Kandidat], ctx: Context) -> list[Steg]:
    remaining = list(kandidater)
    steps = []
    for req in applicable(a):
        remaining = [k for k in remaining if req.ok(a, k, ctx)]
        steps.append(Steg(req.kod, req.rubrik, req.phrase(a, ctx), len(remaining)))
    return steps


#: Kedjans fraser i plural där kravets egen fras blir krånglig ("är varken … eller …").
KEDJA_ORD = {
    "mojlig": ("får", "föreslås (godkända uppdragstagare med giltigt registerutdrag, eller personal med "
                      "lediga resurstimmar)"),
    "utesluten": ("är", "kvar när de som är undantagna i beslutet, avvisade eller avböjda räknats bort"),
}


def _chain_sentences(total: int, steps: Sequence[Steg], reqs: Sequence[Requirement], a: Arende,
                     ctx: Context) -> list[str]:
    """Kraven ett i taget, en mening vart: "Av 60 personer är 41 godkända …", "3 av dem talar finska"."""
    sentences = []
    previous = total
    for index, (step, req) in enumerate(zip(steps, reqs, strict=True)):
        verb, rest = KEDJA_ORD.get(req.kod) or req.verb(a, ctx)
        if step.kvar == previous and step.kvar > 0 and index > 0:
            continue  # kravet stoppade ingen: det säger inget om varför
        previous = step.kvar
        if index == 0:
            count = "ingen" if step.kvar == 0 else str(step.kvar)
            sentences.append(_mening(f"Av {_personer(total)} {verb} {count} {rest}"))
        elif step.kvar == 0:
            sentences.append(_mening(f"Ingen av dem {verb} {rest}"))
        else:
            sentences.append(_mening(f"{step.kvar} av dem {verb} {rest}"))
        if step.kvar == 0:
            break
    return sentences


def _beslutets_grans(a: Arende, ctx: Context) -> float | None:
    if a.max_avstand_km is not None:
        return a.max_avstand_km
    return ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else None


def _egen_grans_binder(a: Arende, k: Kandidat, ctx: Context) -> bool:
    """Bor personen inom beslutets gräns men längre bort än hen själv vill resa?"""
    d = avstand_km(a, k)
    limit = _beslutets_grans(a, ctx)
    own = k.max_avstand_km
    return (d is not None and own is not None and d > own + 1e-9
            and (limit is None or d <= limit + 1e-9))


def _narmast_avstand(a: Arende, near: Sequence[Kandidat], ctx: Context) -> str | None:
    with_distance = [(d, k) for k in near if (d := avstand_km(a, k)) is not None]
    if not with_distance:
        return None
    d, k = min(with_distance, key=lambda item: (item[0], item[1].kandidat_id))
    km = format_number(round(d, 1))
    if _egen_grans_binder(a, k, ctx):
        return f"Närmast: {k.kandidat_id} ({km} km, men reser högst {format_number(k.max_avstand_km or 0)} km)."
    return f"Närmast: {k.kandidat_id} ({km} km)."


def _narmast_kapacitet(a: Arende, near: Sequence[Kandidat]) -> str | None:
    if not near:
        return None
    best = max(near, key=lambda k: (k.uppdrag_kvar > 0, k.timmar_kvar, k.kandidat_id))
    if best.uppdrag_kvar <= 0:
        return f"Närmast: {best.kandidat_id} (har redan så många uppdrag som hen tar)."
    return (f"Närmast: {best.kandidat_id} ({_timmar(best.timmar_kvar)} kvar i månaden, "
            f"beslutet behöver {format_number(round(a.timmar, 1))}).")


def _ledtrad(req: Requirement, a: Arende, near: Sequence[Kandidat], ctx: Context) -> str | None:
    """Vad som ligger närmast om just kravet `req` släpptes: något att göra något åt."""
    if req.kod == "avstand":
        return _narmast_avstand(a, near, ctx)
    if req.kod == "kapacitet":
        return _narmast_kapacitet(a, near)
    if not near:
        return None
    if req.kod == "mojlig":
        hinder = sorted({k.hinder or "" for k in near})
        return _mening(f"{_ids(near)} skulle passa men får inte föreslås än: {'; '.join(hinder)}")
    return _mening(f"Utan kravet på {KRAV_ORD.get(req.kod, req.rubrik.lower())} skulle "
                   f"{_ids(near)} passa")


def explain_no_candidate(a: Arende, kandidater: Sequence[Kandidat], ctx: Context,
                         kolumner: Kravkolumner | None = None) -> Forklaring:
    """Ingen person uppfyller kraven: vilket krav binder, och vad som ligger närmast.

    Kraven prövas mot alla personer på en gång (`Kravkolumner`; ge samma `kolumner` för många
    beslut mot samma personer); svaret är detsamma som när varje par prövas för sig."""
    reqs = applicable(a)
    cols = kolumner if kolumner is not None else Kravkolumner(kandidater)
    kandidater = cols.kandidater
    full = cols.full
    masks = [cols.mask(r.kod, a, ctx) for r in reqs]  # bit i: person i uppfyller kravet
    steps = []
    passed = full
    for req, mask in zip(reqs, masks, strict=True):
        passed &= mask
        steps.append(Steg(req.kod, req.rubrik, req.phrase(a, ctx), passed.bit_count()))
    binding_index = next((i for i, s in enumerate(steps) if s.kvar == 0), len(steps) - 1)
    binding = reqs[binding_index]
    fails = [full & ~mask for mask in masks]
    once = twice = 0
    for fail in fails:
        twice |= once & fail
        once |= fail
    single = once & ~twice  # de som brister i precis ett krav
    only: dict[str, list[Kandidat]] = {req.kod: cols.members(fail & single) for req, fail in zip(reqs, fails, strict=True)}

    def passed_before(index: int) -> list[Kandidat]:
        mask = full
        for m in masks[:index]:
            mask &= m
        return cols.members(mask)

    subjekt = cols.memo.get("subjekt")
    if subjekt is None:
        subjekt = cols.memo["subjekt"] = _subjekt(kandidater)
    binding_phrase = _kort(binding, a, ctx)
    if binding.kod == "avstand":
        before_ok = passed_before(binding_index)
        if any(_egen_grans_binder(a, k, ctx) for k in before_ok) and _beslutets_grans(a, ctx) is not None:
            binding_phrase += " och vill resa så långt"
    if binding.kod == "mojlig":
        main = ("Det finns ingen godkänd uppdragstagare med giltigt registerutdrag och ingen personal "
                "med lediga resurstimmar.")
    else:
        narrowing = [i for i in range(1, binding_index) if steps[i].kvar < steps[i - 1].kvar]
        if binding.kod == "utesluten":
            main = (f"Varje {subjekt} som finns är undantagen i beslutet, avvisad av enhetschefen "
                    "eller har fått nej av den enskilde.")
        elif not narrowing:
            main = _mening(f"Ingen {subjekt} {binding_phrase}")
        elif len(narrowing) == 1:
            main = _mening(f"Ingen {subjekt} som {_kort(reqs[narrowing[0]], a, ctx)} {binding_phrase}")
        else:
            words = _uppräkning([KRAV_ORD.get(reqs[i].kod, reqs[i].rubrik.lower()) for i in narrowing])
            main = _mening(f"Ingen {subjekt} som uppfyller kraven på {words} {binding_phrase}")
    # Vad ligger närmast? Först de som bara brister i det bindande kravet; för avstånd och tid
    # också de som klarade kraven före det (de har ett avstånd eller timmar att jämföra).
    near = only[binding.kod]
    if not near and binding.kod in ("avstand", "kapacitet") and binding_index > 0:
        near = passed_before(binding_index)
    hint = _ledtrad(binding, a, near, ctx)
    if hint is None:
        other = next((r for r in reqs if r.kod != binding.kod and only[r.kod]), None)
        if other is not None:
            hint = _ledtrad(other, a, only[other.kod], ctx)
    text = main if hint is None else f"{main} {hint}"
    # Detaljerna: kedjan, en mening per krav, och hur många som skulle passa utan ett krav.
    relaxed: list[tuple[str, int]] = []
    details = _chain_sentences(len(kandidater), steps, reqs, a, ctx)
    for req in reqs:
        relaxed.append((req.kod, len(only[req.kod])))
        if not only[req.kod]:
            continue
        if req.kod == "mojlig":
            hinder = sorted({k.hinder or "" for k in only[req.kod]})
            details.append(f"{_personer(len(only[req.kod]))} skulle passa men får inte föreslås än: "
                           + "; ".join(hinder) + ".")
        else:
            details.append(f"Utan kravet på {KRAV_ORD.get(req.kod, req.rubrik.lower())} skulle "
                           f"{_personer(len(only[req.kod]))} passa.")
    return Forklaring(KRAV, binding.kod, text, tuple(details), tuple(steps), tuple(relaxed))


# -- beslut utan person: upptagen -------------------------------------------------------------


def _timmar_binder(a: Arende, k: Kandidat, held: Sequence[Arende]) -> float | None:
    """Timmar kvar i månaden om det är timmarna (inte antalet uppdrag) som tar slut, annars None."""
    if len(held) >= k.uppdrag_kvar:
        return None  # antalet uppdrag är fullt
    left = k.timmar_kvar - sum(o.timmar for o in held)
    return max(0.0, left) if left + 1e-9 < a.timmar else None


def explain_taken(
    a: Arende, fitting: Sequence[Kandidat], holders: Mapping[str, Sequence[Arende]]
) -> Forklaring:
    """Det finns personer som passar, men de har fått andra beslut."""
    taken: dict[str, Arende] = {}
    for k in fitting:
        for other in holders.get(k.kandidat_id, ()):
            taken[other.beslut_id] = other
    others = sorted(taken.values(), key=lambda o: (-o.vantedagar, o.beslut_id))
    listing = ", ".join(f"{o.beslut_id} ({_antal(o.vantedagar, 'dag', 'dagar')})" for o in others[:HOGST_ID])
    if len(others) > HOGST_ID:
        listing += f" och {len(others) - HOGST_ID} till"
    hours = [(k, left) for k in fitting
             if (left := _timmar_binder(a, k, holders.get(k.kandidat_id, ()))) is not None]
    text = _taken_text(a, fitting[0].kandidat_id if fitting else "", len(fitting),
                       all(o.vantedagar >= a.vantedagar for o in others), listing, hours)
    details = ("Passar: " + ", ".join(f"{k.kandidat_id} {k.namn}" for k in fitting) + ".",)
    return Forklaring(UPPTAGEN, None, text, details, upptagna_av=tuple(o.beslut_id for o in others))


def _taken_text(a: Arende, first_id: str, n: int, waited_longer: bool, listing: str,
                hours: Sequence[tuple[Kandidat, float]]) -> str:
    """Texten i förklaringen "upptagen" (`explain_taken` och `Forklarare`, som räknar delarna en gång
    per grupp): vem som passar, vilka beslut som tagit dem, och för vem timmarna tar slut."""
    who = f"Den enda som passar, {first_id}," if n == 1 else f"De {n} personer som passar"
    sentences = []
    if waited_longer:
        sentences.append(f"{who} {'är tagen' if n == 1 else 'är tagna'} av beslut som väntat längre: {listing}.")
    else:
        sentences.append(f"{who} har fått andra beslut: {listing}.")
        sentences.append(f"Att flytta {'personen' if n == 1 else 'någon av dem'} hit skulle lämna ett beslut "
                         "som väntat längre, eller fler beslut, utan person.")
    for k, left in hours[:HOGST_ID]:
        sentences.append(f"För {k.kandidat_id} är det timmarna som tar slut, inte antalet uppdrag: "
                         f"{_timmar(left)} kvar i månaden, och beslutet behöver "
                         f"{format_number(round(a.timmar, 1))}.")
    if len(hours) > HOGST_ID:
        sentences.append(f"Samma sak för {len(hours) - HOGST_ID} till.")
    return " ".join(sentences)


# -- förslag ----------------------------------------------------------------------------------


def _uppfyllt_del(item: Onskemal) -> str | None:
    """Det som uppfylls av önskemålet, som en fras, eller None."""
    if item.kod == "intressen":
        if item.poang <= 0 or not item.text.startswith("delar "):
            return None
        shared = item.text[len("delar "):].split(", ")
        return ("delar intresset " if len(shared) == 1 else "delar intressena ") + _uppräkning(shared)
    if item.kod == "tider":
        if item.poang <= 0:
            return None
        return item.text.split(", inte ")[0].replace(" eller ", " och ")
    if not item.uppfyllt:
        return None
    if item.kod == "alder":
        years = item.text.split(" ")[0]
        if years.isdigit() and int(years) > NARA_I_ALDER:
            return None  # varken skäl för personen eller ett önskemål som brister
        return f"är nära i ålder ({item.text.replace(' års åldersskillnad', ' års skillnad')})"
    if item.kod == "avstand":
        return "bor nära" if item.text == "0 km bort" else f"bor {item.text}"
    return item.text


def _missat_del(item: Onskemal) -> str | None:
    """Det som inte uppfylls av önskemålet, som en mening, eller None."""
    if item.kod == "intressen":
        return _mening(item.text) if item.poang <= 0 else None
    if item.kod == "tider":
        if item.poang >= 1:
            return None
        if ", inte " in item.text:
            return _mening("kan inte " + item.text.split(", inte ", 1)[1])
        return _mening(item.text)
    if item.uppfyllt:
        return None
    if item.kod == "alder":
        return _mening(f"stor åldersskillnad ({item.text.replace(' års åldersskillnad', ' år')})")
    if item.kod == "avstand":
        return _mening(f"bor långt bort ({item.text.replace(' bort', '')})")
    if item.kod == "kon" and item.text.startswith("önskat "):
        return _mening(f"är inte {item.text[len('önskat '):]}, som den enskilde önskat")
    return _mening(item.text)


def why_line(items: Sequence[Onskemal]) -> str:
    """En mening: varför just den här personen. Det som väger mest först."""
    ranked = sorted(enumerate(items), key=lambda pair: (-pair[1].bidrag, pair[0]))
    parts = [p for _, item in ranked if (p := _uppfyllt_del(item))]
    if not parts:
        return "Uppfyller alla krav, men inget av önskemålen." if items else "Uppfyller alla krav."
    return _mening(_uppräkning(parts))


def missed_lines(items: Sequence[Onskemal]) -> list[str]:
    """En mening per önskemål som inte uppfylls, det som väger mest först."""
    ranked = sorted(enumerate(items), key=lambda pair: (-pair[1].vikt, pair[0]))
    return [line for _, item in ranked if (line := _missat_del(item))]


def proposal_text(items: Sequence[Onskemal]) -> str:
    """Motiveringen i registret och listor: varför personen, och vad som inte uppfylls."""
    if not items:
        return "Uppfyller alla krav; inga önskemål att jämföra."
    return " ".join([why_line(items), *missed_lines(items)])


def item_line(item: Onskemal) -> str:
    """En rad för vyn Detaljer: önskemålet med sin vikt och hur mycket som uppfylls."""
    return (f"{item.namn}: {item.text} (vikt {format_number(item.vikt)}, "
            f"{round(item.poang * 100)} % uppfyllt)")


# -- många beslut mot samma personer ----------------------------------------------------------


def _pick(items: Sequence[Any], indexes: Sequence[int]) -> tuple[Any, ...]:
    """`tuple(items[i] for i in indexes)`, med en itemgetter (i C)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)(items)
    return (items[indexes[0]],) if indexes else ()



#: Ordningen på besluten som tagit personerna: (−väntan, id).
_RANK = itemgetter(0, 1)


class Forklarare:
    """Förklaringarna för alla beslut utan person i en matchning (samma personer, samma tilldelning).

    Varje förklaring räknas en gång per det den beror på, och beslut som har samma får samma
    `Forklaring` (och samma text som `explain_taken` och `explain_no_candidate` ger var för sig):

    - upptagen: personerna som passar, om de som tagit dem väntat minst lika länge, och beslutets
      timmar;
    - krav: beslutets krav (insatsens krav på personal, undantag, kön, språk, behov, ålder, tider,
      avståndsgräns), den enskildes läge och timmarna.
    """

    def __init__(self, kandidater: Sequence[Kandidat], holders: Mapping[str, Sequence[Arende]],
                 ctx: Context) -> None:
        self.kandidater = list(kandidater)
        self.holders = holders
        self.ctx = ctx
        self.kolumner = Kravkolumner(self.kandidater)
        self._groups: dict[tuple[int, ...], tuple[Any, ...]] = {}
        self._flat: list[tuple[int, Arende, str, str]] | bool | None = None  # `_held_in_order`
        self._held_by_index: dict[int, tuple[list[Arende], float | int | None]] | None = None
        self._ranked_by_index: dict[int, list[tuple[int, str, Arende]]] | None = None
        self._labels: list[str] | None = None
        self._left_by_index: list[float | int | None] | None = None
        self._none: dict[tuple[object, ...], Forklaring] = {}

    def taken(self, a: Arende, fitting: Sequence[int]) -> Forklaring:
        """`explain_taken` för beslutet; `fitting` är index i personerna för dem som passar."""
        key_fitting = tuple(fitting)
        group = self._group_of(key_fitting)
        shortest = group[0]
        by_wait_and_hours = group[-1]  # förklaringarna för gruppen: den långa nyckeln hashas en gång
        key = (shortest is None or shortest >= a.vantedagar, repr(a.timmar))
        found = by_wait_and_hours.get(key)
        if found is None:
            found = by_wait_and_hours[key] = self._explain_taken(a, key_fitting, group)
        return found

    def shortest_wait(self, fitting: Sequence[int]) -> int | None:
        """Kortast väntan bland besluten som tagit personerna i `fitting` (None om ingen tagit dem):
        den som väntat minst så länge har "väntat längre" i `taken`."""
        return self._group_of(tuple(fitting))[0]

    def _group_of(self, fitting: tuple[int, ...]) -> tuple[Any, ...]:
        """`_group` för dem som passar, räknad en gång per mängd."""
        group = self._groups.get(fitting)
        if group is None:
            group = self._groups[fitting] = self._group(fitting)
        return group

    def _held(self) -> dict[int, tuple[list[Arende], float | int | None]]:
        """För varje person som har fått beslut: besluten, och timmarna kvar när de är dragna (None
        om antalet uppdrag är fullt), räknade som i `_timmar_binder`."""
        if self._held_by_index is None:
            held: dict[int, tuple[list[Arende], float | int | None]] = {}
            for i, k in enumerate(self.kandidater):
                mine = self.holders.get(k.kandidat_id, ())
                if mine:
                    full = len(mine) >= k.uppdrag_kvar
                    held[i] = (list(mine), None if full else k.timmar_kvar - sum(o.timmar for o in mine))
            self._held_by_index = held
        return self._held_by_index

    def _group(self, fitting: tuple[int, ...]) -> tuple[Any, ...]:
        """Det som bara beror på vilka som passar: kortaste väntan bland besluten som tagit dem,
        uppräkningen av besluten, deras id, detaljraden, besluten med personer, och timmarna kvar."""
        flat = self._held_in_order()
        if flat is not None:
            # Besluten med personer, redan i ordning (längst väntan, id): de som tagit någon av dem
            # som passar, med sin del av uppräkningen.
            chosen = set(fitting)
            mine = [item for item in flat if item[0] in chosen]
            others = [item[1] for item in mine]
            listing = ", ".join([item[3] for item in mine[:HOGST_ID]])
            upptagna_av = tuple([item[2] for item in mine])
            shortest = others[-1].vantedagar if others else None  # kortast väntan: sist i ordningen
        else:
            ranked = self._ranked()
            # Besluten som tagit dem som passar (en gång var), ordnade på (längst väntan, id) med
            # nycklarna räknade en gång per beslut.
            keyed = list({item[1]: item for i in set(fitting) if (held := ranked.get(i)) for item in held}.values())
            keyed.sort(key=_RANK)
            others = [other for _key, _id, other in keyed]
            listing = ", ".join(f"{o.beslut_id} ({_antal(o.vantedagar, 'dag', 'dagar')})" for o in others[:HOGST_ID])
            upptagna_av = tuple(o.beslut_id for o in others)
            shortest = -keyed[-1][0] if keyed else None  # kortast väntan: sist i ordningen
        if len(others) > HOGST_ID:
            listing += f" och {len(others) - HOGST_ID} till"
        labels = self._labels
        if labels is None:
            labels = self._labels = [f"{k.kandidat_id} {k.namn}" for k in self.kandidater]
        details = "Passar: " + ", ".join(_pick(labels, fitting)) + "."
        # Timmarna kvar för dem som passar (None för den som inte kan ta ett uppdrag till), och det
        # minsta av dem plus marginalen: är beslutets timmar inte större tar ingens timmar slut.
        # (Avrundningen är monoton, så min(x + 1e-9) == min(x) + 1e-9.)
        lefts = _pick(self._lefts(), fitting)
        known = [left for left in lefts if left is not None] if None in lefts else lefts
        lowest = min(known) + 1e-9 if known else None
        return shortest, listing, upptagna_av, details, tuple(others), lefts, lowest, {}

    def _held_in_order(self) -> list[tuple[int, Arende, str, str]] | None:
        """Alla beslut med personer i ordningen (längst väntan, id), en gång: (personens index,
        beslutet, id, "id (n dagar)"). None om samma id står på mer än ett ställe (då räknar `_group`
        varje grupp för sig, som förut)."""
        if self._flat is None:
            items = [(key, beslut_id, o, i) for i, mine in self._ranked().items() for key, beslut_id, o in mine]
            if len({item[1] for item in items}) != len(items):
                self._flat = False
            else:
                items.sort(key=_RANK)
                self._flat = [(i, o, beslut_id, f"{beslut_id} ({_antal(o.vantedagar, 'dag', 'dagar')})")
                              for _key, beslut_id, o, i in items]
        return self._flat if self._flat else None  # också None när ingen har fått ett beslut

    def _ranked(self) -> dict[int, list[tuple[int, str, Arende]]]:
        """För varje person som har fått beslut: besluten med sin ordningsnyckel (−väntan, id)."""
        if self._ranked_by_index is None:
            self._ranked_by_index = {i: [(-o.vantedagar, o.beslut_id, o) for o in mine]
                                     for i, (mine, _left) in self._held().items()}
        return self._ranked_by_index

    def _lefts(self) -> list[float | int | None]:
        """Timmarna kvar för varje person när hens beslut är dragna, som i `_timmar_binder` (None om
        antalet uppdrag är fullt: då är det inte timmarna som tar slut)."""
        if self._left_by_index is None:
            held = self._held()
            lefts: list[float | int | None] = []
            for i, k in enumerate(self.kandidater):
                found = held.get(i)
                if found is not None:
                    lefts.append(found[1])
                else:
                    lefts.append(None if k.uppdrag_kvar <= 0 else k.timmar_kvar - 0)  # samma tal och typ
            self._left_by_index = lefts
        return self._left_by_index

    def _explain_taken(self, a: Arende, fitting: tuple[int, ...], group: tuple[Any, ...]) -> Forklaring:
        """Samma förklaring som `explain_taken(a, [personerna i fitting], holders)`."""
        shortest, listing, upptagna_av, details, _others, lefts, lowest, _explained = group
        kandidater = self.kandidater
        need = a.timmar
        hours = []
        if lowest is not None and lowest < need:
            hours = [(kandidater[i], max(0.0, left)) for i, left in zip(fitting, lefts, strict=True)
                     if left is not None and left + 1e-9 < need]
        text = _taken_text(a, kandidater[fitting[0]].kandidat_id if fitting else "", len(fitting),
                           shortest is None or shortest >= a.vantedagar, listing, hours)
        return Forklaring(UPPTAGEN, None, text, (details,), upptagna_av=upptagna_av)

    def no_candidate(self, a: Arende) -> Forklaring:
        """`explain_no_candidate` för beslutet mot alla personer."""
        key = (a.bara_personal, a.uteslutna, a.kon, a.kon_krav, a.sprak, a.sprak_krav, a.sarskilda_behov,
               a.alder, a.tider, repr(a.max_avstand_km), a.x_km, a.y_km, repr(a.timmar))
        found = self._none.get(key)
        if found is None:
            found = self._none[key] = explain_no_candidate(a, self.kandidater, self.ctx, self.kolumner)
        return found
