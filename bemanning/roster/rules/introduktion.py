"""Ny medarbetare ensam: on a unit that requires it, someone not yet introduced never works a
pass without an introduced colleague on an overlapping pass of the same unit."""

from __future__ import annotations

NAMN = "Ny medarbetare ensam"


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    units = problem.enhet_map
    for (p, d, t), var in ctx.x.items():
        person = problem.personal[p]
        pt = problem.pass_typer[t]
        if person.introducerad or not units[pt.enhet].kraver_introducerad:
            continue
        s, e = ctx.abs_start(d, t), ctx.abs_end(d, t)
        mates = []
        for d2 in (d - 1, d, d + 1):
            for u, other in enumerate(problem.pass_typer):
                if other.enhet != pt.enhet:
                    continue
                if not (ctx.abs_start(d2, u) < e and s < ctx.abs_end(d2, u)):
                    continue
                for q, v in ctx.by_dt.get((d2, u), []):
                    if problem.personal[q].introducerad:
                        mates.append(v)
        text = f"{person.label} (inte introducerad) får inte vara ensam på {units[pt.enhet].label}"
        ctx.hard(model.add_bool_or([~var, *mates]), NAMN, f"{person.person_id}", text)
