"""Kompetens: a pass that needs a competence gets only people who hold it."""

from __future__ import annotations

NAMN = "Kompetens"


def add(ctx) -> None:
    problem = ctx.problem
    for (p, _d, t), var in ctx.x.items():
        person, pt = problem.personal[p], problem.pass_typer[t]
        if not problem.qualified(person, pt):
            ctx.hard(
                ctx.model.add(var == 0), NAMN, f"{person.person_id}/{pt.kompetens}",
                f"{person.label} saknar kompetensen {pt.kompetens}",
            )
