"""A first roster built person by person: each person's row is solved alone against the need
that the people placed before them left uncovered (the same rule modules, one person at a
time). The result is the starting point (hint) for the full model and the neighbourhood search.

Rules that tie people together (a new employee never alone, hard minimum staffing) are left to
the full model; the construction only steers new employees towards passes where an introduced
colleague already works.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable

import attrs

from bemanning.roster.cpsat import Installningar, make_solver, watch
from bemanning.roster.model import build
from bemanning.roster.problem import Behov, Onskemal, RosterProblem, Schema, Tilldelning

log = logging.getLogger("bemanning.roster")


def order(problem: RosterProblem) -> list[int]:
    """The most constrained first: introduced before new, fewest usable pass types first."""

    def key(p: int):
        person = problem.personal[p]
        usable = sum(1 for t in problem.eligible_passes(person)
                     if problem.qualified(person, problem.pass_typer[t])
                     and person.max_pass.get(problem.pass_typer[t].pass_id, 1) != 0)
        return (not person.introducerad, usable, p)

    return sorted(range(len(problem.personal)), key=key)


def construct(problem: RosterProblem, *, seconds_per_person: float = 0.5, seed: int = 1,
              is_cancelled: Callable[[], bool] = lambda: False) -> Schema | None:
    """A roster that keeps every rule of each single person (a person whose row is not found
    in time is left empty)."""
    from ortools.sat.python import cp_model

    began = time.monotonic()
    covered: Counter[tuple[int, str]] = Counter()
    introduced_at: set[tuple[int, str]] = set()  # (day, unit) with an introduced person
    units = {e.enhet_id: e for e in problem.enheter}
    relaxed_units = tuple(attrs.evolve(e, kraver_introducerad=False) for e in problem.enheter)
    demand = {(b.dag, b.pass_id): b for b in problem.behov}
    placed: list[Tilldelning] = []
    settings = Installningar(time_limit_s=seconds_per_person, workers=1, lns=False)
    for p in order(problem):
        if is_cancelled():
            return None
        person = problem.personal[p]
        pid = person.person_id
        behov = []
        for (d, pass_id), b in demand.items():
            behov.append(attrs.evolve(b, antal=max(0, b.antal - covered[d, pass_id]), minst=0))
        wishes = [o for o in problem.onskemal if o.person_id == pid]
        if not person.introducerad:
            for d in range(problem.dagar):
                for pt in problem.pass_typer:
                    unit = units.get(pt.enhet)
                    if unit is not None and unit.kraver_introducerad \
                            and (d, pt.enhet) not in introduced_at:
                        wishes.append(Onskemal(pid, d, pt.pass_id, False, 1000))
        sub = attrs.evolve(
            problem,
            personal=(person,),
            behov=tuple(behov),
            franvaro=tuple(f for f in problem.franvaro if f.person_id == pid),
            onskemal=tuple(wishes),
            historik=tuple(h for h in problem.historik if h.person_id == pid),
            enheter=relaxed_units,
        )
        ctx = build(sub)
        for attempt in range(3):  # more time when a row is not found at once
            solver = make_solver(settings, seconds_per_person * 3**attempt, 1, seed + p)
            with watch(solver, is_cancelled):
                status = solver.solve(ctx.model)
            if status != cp_model.UNKNOWN or is_cancelled():
                break
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            log.info("konstruktion: ingen rad för %s (%s)", pid, solver.status_name(status))
            continue
        for (_q, d, t), var in ctx.x.items():
            if solver.value(var):
                pt = sub.pass_typer[t]
                placed.append(Tilldelning(pid, d, pt.pass_id))
                covered[d, pt.pass_id] += 1
                if person.introducerad:
                    introduced_at.add((d, pt.enhet))
    log.info("konstruktion: %d pass på %.1f s", len(placed), time.monotonic() - began)
    return Schema.of(placed)


def behov_left(problem: RosterProblem, schema: Schema) -> list[Behov]:
    counts = Counter((t.dag, t.pass_id) for t in schema.tilldelningar)
    return [attrs.evolve(b, antal=max(0, b.antal - counts[b.dag, b.pass_id]))
            for b in problem.behov]
