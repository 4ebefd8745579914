"""Figures of a roster: täckningsgrad, obemannade timmar, expected andel timavlönade, andel
heltid (contracted and scheduled), resurspass hours by use, önskemål met, and per person hours
against the target, weekends, nights and evenings.

The expected andel timavlönade assumes that timvikarier work every obemannat pass:
obemannade timmar / (the staff's scheduled hours + obemannade timmar).
"""

from __future__ import annotations

from collections import defaultdict

import attrs

from bemanning.roster.problem import RosterProblem, Schema
from bemanning.roster.resurspass import KONTAKTPERSON, Obemannat, Resurspass, classify, hours_by_use
from bemanning.svenska import tal


@attrs.frozen
class PersonRad:
    person_id: str
    namn: str
    enhet: str
    grad: float
    mal_timmar: float
    schemalagda_timmar: float
    kontaktperson_timmar: float
    saldo: float  # scheduled + kontaktperson − target
    pass_antal: int
    helger: int
    natter: int
    kvallar: int
    resurspass_timmar: float


@attrs.frozen
class Nyckeltal:
    behov_timmar: float
    tackta_timmar: float
    obemannade_timmar: float
    obemannade_pass: int
    tackningsgrad: float
    schemalagda_timmar: float
    andel_timavlonade: float
    andel_heltid_anstallda: float
    andel_heltid_schemalagda: float
    resurspass_timmar: dict[str, float]
    onskemal_uppfyllda: int
    onskemal_totalt: int
    personer: tuple[PersonRad, ...]
    resurspass: tuple[Resurspass, ...]
    obemannade: tuple[Obemannat, ...]


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 100.0


def wish_met(problem: RosterProblem, schema: Schema, o) -> bool:
    mine = {(t.dag, t.pass_id) for t in schema.tilldelningar if t.person_id == o.person_id}
    works = any(d == o.dag for d, _ in mine)
    if o.pass_id is None:
        return works if o.onskat else not works
    has = (o.dag, o.pass_id) in mine
    return has if o.onskat else not has


def compute(problem: RosterProblem, schema: Schema) -> Nyckeltal:
    resurs, missing = classify(problem, schema)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for t in schema.tilldelningar:
        counts[t.dag, t.pass_id] += 1
    need_h = covered_h = 0.0
    for b in problem.behov:
        hours = problem.pass_typ(b.pass_id).paid / 60
        need_h += b.antal * hours
        covered_h += min(b.antal, counts[b.dag, b.pass_id]) * hours
    missing_h = sum(o.timmar for o in missing)
    by_person = schema.by_person()
    weekends = problem.weekends()
    resurs_h: dict[str, float] = defaultdict(float)
    for r in resurs:
        resurs_h[r.person_id] += r.timmar
    rows = []
    scheduled_total = 0.0
    full_time_scheduled = 0
    for person in problem.personal:
        mine = by_person.get(person.person_id, [])
        hours = sum(problem.pass_typ(t.pass_id).paid for t in mine) / 60
        kp = person.kontaktperson_minuter / 60
        target = (person.mal_minuter or 0) / 60
        days = {t.dag for t in mine}
        types = [problem.pass_typ(t.pass_id) for t in mine]
        rows.append(PersonRad(
            person.person_id, person.label, person.enhet, person.grad, round(target, 2),
            round(hours, 2), round(kp, 2), round(hours + kp - target, 2), len(mine),
            sum(1 for w in weekends if any(d in days for d in w)),
            sum(1 for pt in types if pt.natt), sum(1 for pt in types if pt.kvall),
            round(resurs_h.get(person.person_id, 0.0), 2),
        ))
        scheduled_total += hours
        full = (person.mal_minuter or 0) * 100 / max(person.grad, 1) / 60
        tolerance = problem.target_tolerance(person) / 60
        if person.mal_minuter is not None and hours + kp >= full - tolerance:
            full_time_scheduled += 1
    met = sum(1 for o in problem.onskemal if wish_met(problem, schema, o))
    n = len(problem.personal)
    return Nyckeltal(
        behov_timmar=round(need_h, 2),
        tackta_timmar=round(covered_h, 2),
        obemannade_timmar=round(missing_h, 2),
        obemannade_pass=sum(o.saknas for o in missing),
        tackningsgrad=round(_pct(covered_h, need_h), 2),
        schemalagda_timmar=round(scheduled_total, 2),
        andel_timavlonade=round(_pct(missing_h, scheduled_total + missing_h), 2),
        andel_heltid_anstallda=round(_pct(sum(1 for p in problem.personal if p.heltid), n), 2),
        andel_heltid_schemalagda=round(_pct(full_time_scheduled, n), 2),
        resurspass_timmar={k: round(v, 2) for k, v in hours_by_use(resurs).items()},
        onskemal_uppfyllda=met,
        onskemal_totalt=len(problem.onskemal),
        personer=tuple(rows),
        resurspass=tuple(resurs),
        obemannade=tuple(missing),
    )


def fmt(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def summary_lines(problem: RosterProblem, nt: Nyckeltal) -> list[str]:
    """The figures as Swedish lines for the terminal (hours with thousands spaced: 10 160)."""
    if nt.onskemal_totalt:
        wishes = f"Önskemål uppfyllda: {tal(nt.onskemal_uppfyllda)} av {tal(nt.onskemal_totalt)}"
    else:
        wishes = "Önskemål: inga lämnade för perioden"
    lines = [
        f"Täckningsgrad: {fmt(nt.tackningsgrad)} % ({tal(nt.tackta_timmar)} av "
        f"{tal(nt.behov_timmar)} timmar)",
        f"Obemannat: {tal(nt.obemannade_pass)} pass, {tal(nt.obemannade_timmar)} timmar "
        "(till bemanningsenheten/timvikarier)",
        f"Förväntad andel arbetad tid av timavlönade: {fmt(nt.andel_timavlonade)} %",
        f"Andel heltid: anställda {fmt(nt.andel_heltid_anstallda)} %, schemalagda på heltid "
        f"{fmt(nt.andel_heltid_schemalagda)} %",
        "Resurspass: " + ", ".join(f"{k} {tal(v)} h" for k, v in nt.resurspass_timmar.items()),
        wishes,
    ]
    return lines


def kontaktperson_lines(problem: RosterProblem, nt: Nyckeltal) -> list[str]:
    """One line per staff member with kontaktperson uppdrag in the roster: hours and source."""
    items = [r for r in nt.resurspass if r.anvandning == KONTAKTPERSON]
    if not items:
        return []
    weeks = problem.dagar / 7
    people = "1 person" if len(items) == 1 else f"{len(items)} personer"
    lines = [f"Kontaktpersonsuppdrag i ordinarie schema: {people}, "
             f"{fmt(sum(r.timmar for r in items))} h i perioden"]
    for r in sorted(items, key=lambda r: (r.hemenhet, problem.person(r.person_id).label)):
        person = problem.person(r.person_id)
        source = f", {person.kontaktperson_kalla}" if person.kontaktperson_kalla else ""
        lines.append(f"  {person.label} ({r.hemenhet}): {fmt(r.timmar)} h i perioden, "
                     f"{fmt(r.timmar / weeks)} h i veckan{source}")
    return lines
