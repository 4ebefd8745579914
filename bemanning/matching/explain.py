"""Förklaringar: varför ett förslag är bra, och varför ett beslut blev utan person.

För ett förslag: varje önskemål, uppfyllt eller inte, med vikt och poäng.

För ett beslut utan person finns två slags skäl:

- **krav**: ingen person uppfyller kraven. Förklaringen går igenom kraven i ordning och
  räknar hur många som återstår efter varje ("av 60 personer är 41 godkända …; av dem talar
  3 finska; av dem bor ingen inom 20 km"). Det bindande kravet är det där ingen återstår.
  Dessutom: hur många som skulle passa om just ett krav släpptes.
- **upptagen**: det finns personer som passar, men de har fått beslut som väntat längre
  (eller som annars skulle bli utan person). Förklaringen säger vilka beslut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import Kandidat
from bemanning.matching.preferences import Onskemal
from bemanning.matching.requirements import Context, Requirement, applicable
from bemanning.model.values import format_number

KRAV = "krav"
UPPTAGEN = "upptagen"


@attrs.frozen
class Steg:
    kod: str
    rubrik: str
    text: str  # "talar finska"
    kvar: int  # hur många som återstår efter kravet


@attrs.frozen
class Forklaring:
    kod: str  # KRAV eller UPPTAGEN
    krav: str | None  # det bindande kravets kod (vid KRAV)
    text: str  # en mening: skälet
    detaljer: tuple[str, ...] = ()
    kedja: tuple[Steg, ...] = ()
    utan_krav: tuple[tuple[str, int], ...] = ()  # (kravets kod, hur många som då skulle passa)
    upptagna_av: tuple[str, ...] = ()  # beslut som har de personer som passar


def _antal(n: int) -> str:
    return "ingen" if n == 0 else str(n)


def _personer(n: int) -> str:
    return "1 person" if n == 1 else f"{n} personer"


def requirement_chain(a: Arende, kandidater: Sequence[Kandidat], ctx: Context) -> list[Steg]:
    remaining = list(kandidater)
    steps = []
    for req in applicable(a):
        remaining = [k for k in remaining if req.ok(a, k, ctx)]
        steps.append(Steg(req.kod, req.rubrik, req.phrase(a, ctx), len(remaining)))
    return steps


def _chain_sentence(total: int, steps: Sequence[Steg], reqs: Sequence[Requirement], a: Arende, ctx: Context) -> str:
    parts = []
    previous = total
    for index, (step, req) in enumerate(zip(steps, reqs, strict=True)):
        verb, rest = req.verb(a, ctx)
        if step.kvar == previous and step.kvar > 0 and index > 0:
            continue  # kravet stoppade ingen: det säger inget om varför
        previous = step.kvar
        if index == 0:
            parts.append(f"Av {_personer(total)} {verb} {_antal(step.kvar)} {rest}")
        else:
            parts.append(f"av dem {verb} {_antal(step.kvar)} {rest}")
        if step.kvar == 0:
            break
    return "; ".join(parts) + "."


def explain_no_candidate(a: Arende, kandidater: Sequence[Kandidat], ctx: Context) -> Forklaring:
    """Ingen person uppfyller kraven: vilket krav binder, och vad som skulle hjälpa."""
    reqs = applicable(a)
    steps = requirement_chain(a, kandidater, ctx)
    binding_index = next((i for i, s in enumerate(steps) if s.kvar == 0), len(steps) - 1)
    binding = reqs[binding_index]
    before = steps[binding_index - 1].kvar if binding_index > 0 else len(kandidater)
    verb, rest = binding.verb(a, ctx)
    if binding.kod == "mojlig":
        text = ("Det finns ingen godkänd uppdragstagare med giltigt registerutdrag och ingen personal "
                "med lediga resurstimmar.")
    elif binding_index == 1:
        text = f"Ingen godkänd och ledig person {verb} {rest}."
    else:
        narrowing = [i for i in range(1, binding_index) if steps[i].kvar < steps[i - 1].kvar]
        earlier = " och ".join(reqs[i].phrase(a, ctx) for i in narrowing)
        if earlier and before == 1:
            text = f"Den enda godkända och lediga person som {earlier} {verb} inte {rest}."
        elif earlier:
            text = f"Ingen av de {before} godkända och lediga personer som {earlier} {verb} {rest}."
        else:
            text = f"Ingen godkänd och ledig person {verb} {rest}."
    # Hur många skulle passa om ett enda krav släpptes?
    relaxed: list[tuple[str, int]] = []
    details = [_chain_sentence(len(kandidater), steps, reqs, a, ctx)]
    failing = {k.kandidat_id: [r.kod for r in reqs if not r.ok(a, k, ctx)] for k in kandidater}
    for req in reqs:
        only = [k for k in kandidater if failing[k.kandidat_id] == [req.kod]]
        relaxed.append((req.kod, len(only)))
        if not only:
            continue
        if req.kod == "mojlig":
            hinder = sorted({k.hinder or "" for k in only})
            details.append(f"{_personer(len(only))} skulle passa men får inte föreslås än: "
                           + "; ".join(hinder) + ".")
        else:
            details.append(f"Utan kravet på {req.rubrik.lower()} skulle {_personer(len(only))} passa.")
    return Forklaring(KRAV, binding.kod, text, tuple(details), tuple(steps), tuple(relaxed))


def explain_taken(
    a: Arende, fitting: Sequence[Kandidat], holders: Mapping[str, Sequence[Arende]]
) -> Forklaring:
    """Det finns personer som passar, men de har fått andra beslut."""
    taken: dict[str, Arende] = {}
    for k in fitting:
        for other in holders.get(k.kandidat_id, ()):
            taken[other.beslut_id] = other
    others = sorted(taken.values(), key=lambda o: (-o.vantedagar, o.beslut_id))
    listing = ", ".join(f"{o.beslut_id} ({o.vantedagar} dagar)" for o in others)
    n = len(fitting)
    who = "Den enda person som passar" if n == 1 else f"De {n} personer som passar"
    if all(o.vantedagar >= a.vantedagar for o in others):
        text = f"{who} {'är tagen' if n == 1 else 'är tagna'} av beslut som väntat längre: {listing}."
    else:
        text = (f"{who} har fått andra beslut: {listing}. Att flytta "
                f"{'henne eller honom' if n == 1 else 'någon av dem'} hit skulle lämna ett beslut som "
                "väntat längre, eller fler beslut, utan person.")
    details = ("Passar: " + ", ".join(f"{k.kandidat_id} {k.namn}" for k in fitting) + ".",)
    return Forklaring(UPPTAGEN, None, text, details, upptagna_av=tuple(o.beslut_id for o in others))


def proposal_text(items: Sequence[Onskemal]) -> str:
    """En rad för registret och listor: vad som uppfylls och vad som inte gör det."""
    met = [f"{i.namn.lower()}: {i.text}" for i in items if i.uppfyllt]
    missed = [f"{i.namn.lower()}: {i.text}" for i in items if not i.uppfyllt]
    parts = []
    if met:
        parts.append("uppfyller " + "; ".join(met))
    if missed:
        parts.append("uppfyller inte " + "; ".join(missed))
    return ". ".join(parts).capitalize() if parts else "Inga önskemål att jämföra."


def item_line(item: Onskemal) -> str:
    mark = "+" if item.uppfyllt else "-"
    return (f"{mark} {item.namn}: {item.text} (vikt {format_number(item.vikt)}, "
            f"{round(item.poang * 100)} %)")
