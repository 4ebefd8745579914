"""Resurspassens placering (soft): a pass at another unit than the person's home unit costs a
little per hour, more than a pass beyond the need at home and far less than an obemannat pass.
So people work at home, and their surplus goes to another unit of the samplaneringsområde only
where it covers a need there."""

from __future__ import annotations

from bemanning.roster.soft import PLACERING

NAMN = "Resurspassens placering"
HARD = False


def add(ctx) -> None:
    problem = ctx.problem
    per_hour = problem.regler.annan_enhet_per_timme
    if not per_hour:
        return
    for (p, d, t), var in ctx.x.items():
        person, pt = problem.personal[p], problem.pass_typer[t]
        if person.enhet and pt.enhet != person.enhet:
            cost = max(1, round(per_hour * pt.paid / 60))
            ctx.objective.add(PLACERING, f"{person.label} på {pt.enhet} {problem.day_label(d)}",
                              cost, var)
