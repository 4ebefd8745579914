"""Nattarbete (ATL 13 a §): a night worker works at most 8 h per 24-hour period on average.

The average is taken over a beräkningsperiod of at most four months: the schemaperiod, cut in
pieces of four calendar months when it is longer. From each piece 24 hours are deducted for
every started seven-day period, so the piece allows 8 h × (its days − its started weeks).
Absence counts as worked time (the law names semester and sick leave; every planned absence is
counted, which is never less strict): each day of absence adds the person's scheduled time per
day (arbetstidsmått × sysselsättningsgrad / 7). A night worker is anyone given a night pass.
"""

from __future__ import annotations

from bemanning.model.tremanadersregeln import add_months

NAMN = "Nattarbete"
MAX_MONTHS = 4


def reference_periods(problem) -> list[tuple[int, int]]:
    """(first day, day after the last) of each beräkningsperiod in the schemaperiod."""
    out, first = [], 0
    while first < problem.dagar:
        if problem.start is not None:
            begin = problem.date_of(first)
            end = first + (add_months(begin, MAX_MONTHS) - begin).days
        else:
            end = first + 120  # four months of 30 days when the period has no date
        end = min(end, problem.dagar)
        out.append((first, end))
        first = end
    return out


def cap_minutes(first: int, end: int, max_hours: float) -> int:
    """8 h per 24-hour period, after deducting 24 h per started seven-day period."""
    days = end - first
    weeks = -(-days // 7)
    return round(max_hours * 60 * (days - weeks))


def absence_minutes_per_day(person) -> float:
    return person.arbetstidsmatt * 60 * person.grad / 100 / 7


def absence_minutes(problem, person, first: int, end: int) -> int:
    days = sum(1 for f in problem.franvaro
               if f.person_id == person.person_id and first <= f.dag < end)
    return round(days * absence_minutes_per_day(person))


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    most = problem.regler.natt_max_timmar_per_dygn
    if most is None:
        return
    for p, person in enumerate(problem.personal):
        items = ctx.person_vars(p)
        nights = [v for _d, t, v in items if problem.pass_typer[t].natt]
        if not nights:
            continue
        night_worker = model.new_bool_var(f"nattarbetare[{person.person_id}]")
        for v in nights:
            model.add_implication(v, night_worker)
        for first, end in reference_periods(problem):
            inside = [(t, v) for d, t, v in items if first <= d < end]
            if not inside:
                continue
            room = cap_minutes(first, end, most) - absence_minutes(problem, person, first, end)
            total = sum(problem.pass_typer[t].paid * v for t, v in inside)
            ctx.hard(model.add(total <= max(0, room)).only_enforce_if(night_worker),
                     NAMN, person.person_id,
                     f"{person.label}: högst {most:g} h per dygn i snitt vid nattarbete "
                     f"(dag {first + 1}–{end})")
