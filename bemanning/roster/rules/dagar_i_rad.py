"""Arbetsdagar i rad: at most 6 working days in a row (configurable), and optionally a
minimum length of working blocks and of free blocks (Curtois). A day counts as worked when a
pass starts on it. Days worked just before the period (history) count toward the maximum; a
block that touches the first or last day of the period may be shorter than the minimum.
"""

from __future__ import annotations

NAMN = "Arbetsdagar i rad"


def _limits(problem, person) -> tuple[int | None, int, int]:
    regler = problem.regler
    most = person.max_dagar_i_rad if person.max_dagar_i_rad is not None else regler.max_dagar_i_rad
    least = person.min_dagar_i_rad if person.min_dagar_i_rad is not None else regler.min_dagar_i_rad
    off = person.min_lediga_i_rad if person.min_lediga_i_rad is not None else regler.min_lediga_i_rad
    return most, least, off


def history_days(problem, person_id: str) -> set[int]:
    return {h.start // 1440 for h in problem.historik if h.person_id == person_id}


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    n = problem.dagar
    for p, person in enumerate(problem.personal):
        most, least, off = _limits(problem, person)
        w = [ctx.work.get((p, d)) for d in range(n)]
        pid = person.person_id
        if most is not None:
            before = history_days(problem, pid)
            text = f"{person.label}: högst {most} arbetsdagar i rad"
            for start in range(-most, n - most):
                days = range(start, start + most + 1)
                known = sum(1 for d in days if d < 0 and d in before)
                vars_ = [w[d] for d in days if 0 <= d < n and w[d] is not None]
                if start < 0 and known == 0:
                    continue
                if len(vars_) + known > most:
                    ctx.hard(model.add(sum(vars_) <= most - known), NAMN, pid, text)
        if (least > 1 or off > 1) and not history_days(problem, pid):
            _stints(ctx, p, w, most, least, off)
        if least > 1:
            _min_blocks(ctx, pid, w, least, work_block=True,
                        text=f"{person.label}: minst {least} arbetsdagar i rad")
        if off > 1:
            _min_blocks(ctx, pid, w, off, work_block=False,
                        text=f"{person.label}: minst {off} lediga dagar i rad")


def _min_blocks(ctx, pid, w, minimum, *, work_block: bool, text: str) -> None:
    """Forbid a block of length < minimum strictly inside the period."""
    n = len(w)
    for length in range(1, minimum):
        for d in range(1, n - length):
            # pattern: day d-1 opposite, days d..d+length-1 in block, day d+length opposite
            clause = []
            satisfied = False
            for day, in_block in [(d - 1, False), *[(d + i, True) for i in range(length)],
                                  (d + length, False)]:
                var = w[day]
                want_work = in_block == work_block  # the pattern has work on this day
                # clause literal: NOT(pattern literal)
                if var is None:
                    if want_work:
                        satisfied = True  # the pattern needs work where none is possible
                        break
                    continue
                clause.append(~var if want_work else var)
            if satisfied:
                continue
            ctx.hard(ctx.model.add_bool_or(clause), NAMN, pid, text)


def _stints(ctx, p: int, w, most: int | None, least: int, off: int) -> None:
    """A stronger (redundant) encoding for the LP: one Boolean per block of working days
    (start, length). Every worked day lies in exactly one block and blocks are apart by at
    least `off` free days, so the blocks are the runs; their lengths obey the limits (a block
    touching the first or last day may be shorter)."""
    model = ctx.model
    n = len(w)
    longest = most if most is not None else n
    covering: dict[int, list] = {d: [] for d in range(n)}
    spacing: dict[int, list] = {d: [] for d in range(n)}
    gap = max(1, off)
    for s in range(n):
        for length in range(1, min(longest, n - s) + 1):
            if length < least and s != 0 and s + length != n:
                continue
            days = range(s, s + length)
            if any(w[d] is None for d in days):
                continue
            b = model.new_bool_var(f"block[{p},{s},{length}]")
            for d in days:
                covering[d].append(b)
            for d in range(s, min(n, s + length + gap)):
                spacing[d].append(b)
    for d in range(n):
        if w[d] is None:
            continue
        model.add(w[d] == sum(covering[d]))
        if len(spacing[d]) > 1:
            model.add_at_most_one(spacing[d])
