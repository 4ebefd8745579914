"""Önskemål (önskeschema): wanted and unwanted passes or days, soft, each with a weight."""

from __future__ import annotations

from bemanning.roster.soft import ONSKEMAL

NAMN = "Önskemål"
HARD = False


def describe(problem, o) -> str:
    person = problem.person(o.person_id)
    what = problem.pass_typ(o.pass_id).label if o.pass_id else "arbeta"
    verb = "vill" if o.onskat else "vill inte"
    return f"{person.label} {verb} {what} {problem.day_label(o.dag)}"


def add(ctx) -> None:
    problem = ctx.problem
    factor = problem.regler.onskemal_vikt
    for o in problem.onskemal:
        p = problem.person_index.get(o.person_id)
        if p is None or not 0 <= o.dag < problem.dagar:
            continue
        if o.pass_id is None:
            var = ctx.work.get((p, o.dag))
        else:
            t = problem.pass_index.get(o.pass_id)
            var = ctx.x.get((p, o.dag, t)) if t is not None else None
        weight = o.vikt * factor
        text = describe(problem, o)
        ctx.wishes.append((o, var))
        if var is None:
            if o.onskat:
                ctx.objective.add(ONSKEMAL, text, weight, ctx.model.new_constant(1))
            continue
        ctx.objective.add(ONSKEMAL, text, weight, ~var if o.onskat else var)
