"""Täckning (coverage): each pass should have the people the bemanningsbehov asks for.

Soft: every missing person is an obemannat pass and costs much (per hour by default), every
person beyond the need is a resurspass without a need and costs a little. A `minst` in the
behov is a hard minimum. Coverage is aggregated: one integer slack per day and pass type.
"""

from __future__ import annotations

from bemanning.roster.soft import OVERBEMANNING, TACKNING

NAMN = "Minsta bemanning"
HARD = True


def weights(problem, behov, pt) -> tuple[int, int]:
    regler = problem.regler
    hours = pt.paid / 60
    under = behov.vikt_under if behov is not None and behov.vikt_under is not None else max(
        1, round(regler.obemannat_per_timme * hours))
    over = behov.vikt_over if behov is not None and behov.vikt_over is not None else round(
        regler.overbemanning_per_timme * hours)
    return under, over


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    demand = {(b.dag, problem.pass_index[b.pass_id]): b for b in problem.behov
              if b.pass_id in problem.pass_index and 0 <= b.dag < problem.dagar}
    under_vars, over_vars = ctx.under, ctx.over
    slots = set(demand) | {key for key, items in ctx.by_dt.items() if items}
    units = problem.enhet_map
    for d, t in sorted(slots):
        b = demand.get((d, t))
        need = b.antal if b else 0
        pt = problem.pass_typer[t]
        items = [v for _, v in ctx.by_dt.get((d, t), [])]
        w_under, w_over = weights(problem, b, pt)
        where = f"{units[pt.enhet].label} {pt.label} {problem.day_label(d)}"
        under = model.new_int_var(0, need, f"obemannat[{d},{pt.pass_id}]")
        over = model.new_int_var(0, len(items), f"over[{d},{pt.pass_id}]")
        model.add(sum(items) + under - over == need)
        under_vars[d, t] = under
        over_vars[d, t] = over
        ctx.objective.add(TACKNING, where, w_under, under)
        ctx.objective.add(OVERBEMANNING, where, w_over, over)
        if b is not None and b.minst > 0:
            ctx.hard(model.add(sum(items) >= b.minst), NAMN, f"{pt.enhet}/{pt.pass_id}",
                     f"{units[pt.enhet].label} {pt.label} behöver minst {b.minst} "
                     f"{'person' if b.minst == 1 else 'personer'} varje gång")
