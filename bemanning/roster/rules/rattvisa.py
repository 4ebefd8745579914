"""Rättvisa: weekends, nights and evenings spread evenly among the staff of a unit (soft:
the difference between the most and the least loaded person of the home unit)."""

from __future__ import annotations

from bemanning.roster.soft import RATTVISA

NAMN = "Rättvis fördelning"
HARD = False


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    regler = problem.regler
    groups: dict[str, list[int]] = {}
    for p, person in enumerate(problem.personal):
        groups.setdefault(person.enhet, []).append(p)
    for enhet, members in groups.items():
        if len(members) < 2:
            continue
        label = problem.enhet_map[enhet].label if enhet in problem.enhet_map else enhet
        kinds = [
            ("helger", regler.rattvisa_helger,
             lambda p: list(ctx.weekends_worked(p).values())),
            ("nätter", regler.rattvisa_natter,
             lambda p: [v for _d, t, v in ctx.person_vars(p) if problem.pass_typer[t].natt]),
            ("kvällar", regler.rattvisa_kvallar,
             lambda p: [v for _d, t, v in ctx.person_vars(p) if problem.pass_typer[t].kvall]),
        ]
        for name, weight, items_of in kinds:
            if not weight:
                continue
            counts = [(p, items_of(p)) for p in members]
            counts = [(p, items) for p, items in counts if items]
            if len(counts) < 2:
                continue
            top = max(len(items) for _, items in counts)
            hi = model.new_int_var(0, top, f"max_{name}[{enhet}]")
            lo = model.new_int_var(0, top, f"min_{name}[{enhet}]")
            for _p, items in counts:
                model.add(hi >= sum(items))
                model.add(lo <= sum(items))
            spread = model.new_int_var(0, top, f"spridning_{name}[{enhet}]")
            model.add(spread == hi - lo)
            ctx.objective.add(RATTVISA, f"{label}: skillnad i antal {name}", weight, spread)
