"""Arbetstid: the hours of the period meet the target (mått × sysselsättningsgrad × weeks,
less absence and kontaktperson uppdrag) within the tolerance; limits per pass type (Curtois
MaxShifts). The difference to the target is the saldo, a soft cost per hour.
"""

from __future__ import annotations

from bemanning.roster.soft import SALDO

NAMN = "Arbetstid"


def _h(minutes: int) -> str:
    return f"{minutes / 60:.1f}".replace(".", ",").replace(",0", "")


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    for p, person in enumerate(problem.personal):
        items = ctx.person_vars(p)
        pid = person.person_id
        total = sum(problem.pass_typer[t].paid * v for _d, t, v in items) if items else 0
        low, high = problem.hour_limits(person)
        if low is not None and low > 0:
            ctx.hard(model.add(total >= low), NAMN, pid,
                     f"{person.label} ska arbeta minst {_h(low)} h")
        if high is not None:
            ctx.hard(model.add(total <= high), NAMN, pid,
                     f"{person.label} får arbeta högst {_h(high)} h")
        for pass_id, most in person.max_pass.items():
            t = problem.pass_index.get(pass_id)
            if t is None:
                continue
            vs = [v for d in range(problem.dagar) if (v := ctx.x.get((p, d, t))) is not None]
            if len(vs) > most:
                ctx.hard(model.add(sum(vs) <= most), NAMN, pid,
                         f"{person.label}: högst {most} pass {pass_id}")
        if person.mal_minuter is not None and problem.regler.saldo_per_timme and items:
            goal = person.mal_minuter - person.kontaktperson_minuter
            dev = model.new_int_var(0, 10_000, f"saldo[{pid}]")
            model.add(60 * dev >= total - goal)
            model.add(60 * dev >= goal - total)
            ctx.objective.add(SALDO, f"{person.label}: timmar från målet",
                              problem.regler.saldo_per_timme, dev)
