"""Benchmark runs: the Curtois & Qu instances through the same engine."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from bemanning.errors import UserError


@attrs.frozen
class BenchRad:
    instans: str
    mal: int | None
    publicerat: int | None
    naiv: int | None
    sekunder: float
    status: str
    fel: int  # hard-rule breaches found by the instance's own check and by the checker
    alla: tuple[int | None, ...] = ()  # every run's objective when repeated (seed after seed)
    bevisade: tuple[bool, ...] = ()  # whether that run proved its roster optimal
    grans: float | None = None  # the best lower bound proven in any of the runs

    @property
    def median(self) -> float | None:
        found = [v for v in self.alla if v is not None]
        return statistics.median(found) if found else None

    @property
    def gap_grans(self) -> float | None:
        """How far the objective (the median when repeated) can at most be from the optimum:
        per cent above the best proven lower bound."""
        from bemanning.roster.solver import gap_to_bound

        return gap_to_bound(self.median if len(self.alla) > 1 else self.mal, self.grans)

    @property
    def slog_naiv(self) -> int:
        """How many runs beat the better naive row: below it, or equal to it and proven optimal
        (where the naive row already is the optimum nothing can be below it)."""
        if self.naiv is None:
            return 0
        return sum(1 for v, proven in zip(self.alla, self.bevisade, strict=True)
                   if v is not None and (v < self.naiv or (v == self.naiv and proven)))

    @property
    def gap(self) -> float | None:
        if self.mal is None or not self.publicerat:
            return None
        return 100.0 * (self.mal - self.publicerat) / self.publicerat


def _solve_once(inst, problem, *, time_limit_s, workers, seed, andra=None
                ) -> tuple[int | None, str, int, float | None]:
    """(objective, status, hard-rule breaches, lower bound) of one run."""
    from bemanning.roster import curtois
    from bemanning.roster.checker import check
    from bemanning.roster.solver import solve

    settings = curtois.settings(inst, time_limit_s=time_limit_s, workers=workers, seed=seed)
    if andra:
        settings = attrs.evolve(settings, **andra)
    result = solve(problem, settings)
    if result.schema is None:
        return None, result.status, 0, result.grans
    assignment = {(a.person_id, a.dag): a.pass_id for a in result.schema.tilldelningar}
    errors = len(curtois.hard_violations(inst, assignment)) + len(check(problem, result.schema))
    return curtois.objective(inst, assignment), result.status, errors, result.grans


def run_curtois(directory: Path, names: Sequence[str], *, time_limit_s: float = 60.0,
                workers: int = 2, seed: int = 1, out: Callable[[str], None] = print,
                markdown: bool = False, upprepa: int = 1,
                gransekunder: float = 0.0,
                andra: dict[str, object] | None = None) -> list[BenchRad]:
    """Solve each instance and print a row per instance as it finishes.

    With `upprepa` > 1 every instance is solved that many times with seed `seed`,
    `seed` + 1, …; the row then shows the first run's objective (as with one run), every
    run's objective, their median and how many runs beat the better naive row — the engine's
    result varies between runs, and one run says little about how often it holds. The time
    column is then the mean of the runs.

    Every row shows the best lower bound proven (CP-SAT on the whole model or the staff's
    capacity against the coverage, `capacity.coverage_bound`; the best of the runs) and how far the objective — the median when repeated — is at most from the optimum.
    With `gransekunder` > 0 each instance also gets that many seconds, after its runs, for the
    bound from the people's rows on their own (`bound.lagrange_bound`), and the row shows the
    better of the two.

    `andra` changes solver settings (`Installningar`) on top of each instance's, e.g.
    {"deterministisk": True}: the time limit is then on CP-SAT's deterministic time, the same
    whatever the load (for comparisons under load), the clock only a safety net.
    """
    from bemanning.roster import curtois
    from bemanning.roster.bound import lagrange_bound
    from bemanning.roster.solver import OPTIMAL

    if upprepa < 1:
        raise UserError("--upprepa måste vara minst 1.")
    if not directory.exists():
        raise UserError(f"Katalogen {directory} finns inte; ange --katalog.")
    repeated = upprepa > 1
    if markdown:
        extra = " körningar | median | slog naiv |" if repeated else ""
        out("| Instans | mål | publicerat bästa | gap % | nedre gräns | gap till gräns % | "
            "bästa naiva CP-SAT | tid s | status |" + extra)
        out("|---|---|---|---|---|---|---|---|---|" + ("---|---|---|" if repeated else ""))
    else:
        extra = f"  {'median':>7} {'slog naiv':>10}  körningar" if repeated else ""
        out(f"{'instans':<12} {'mål':>7} {'bästa':>7} {'gap %':>7} {'gräns':>7} "
            f"{'gap gräns %':>11} {'naiv':>7} {'tid s':>6}  status{extra}")
    rows = []
    for name in names:
        path = curtois.instance_path(directory, name)
        inst = curtois.parse(path)
        number = int(inst.name.replace("Instance", "")) if inst.name[8:].isdigit() else None
        problem = curtois.to_problem(inst)
        values, statuses, bounds, errors, seconds = [], [], [], 0, 0.0
        for run in range(upprepa):
            began = time.monotonic()
            value, status, breaches, bound = _solve_once(inst, problem, time_limit_s=time_limit_s,
                                                  workers=workers, seed=seed + run,
                                                  andra=andra)
            seconds += time.monotonic() - began
            values.append(value)
            statuses.append(status)
            if bound is not None:
                bounds.append(bound)
            errors += breaches
        if gransekunder > 0:
            found = [v for v in values if v is not None]
            rows_bound = lagrange_bound(problem, gransekunder, workers=workers, seed=seed,
                                        upper=min(found) if found else None)
            if rows_bound is not None:
                bounds.append(rows_bound)
        status = statuses[0] if len(set(statuses)) == 1 else "/".join(dict.fromkeys(statuses))
        row = BenchRad(inst.name, values[0], curtois.PUBLISHED_BEST.get(number),
                       curtois.NAIVE_BEST.get(number) if number else None,
                       seconds / upprepa, status + (f", {errors} fel" if errors else ""), errors,
                       tuple(values), tuple(st == OPTIMAL for st in statuses),
                       max(bounds) if bounds else None)
        rows.append(row)
        gap = "-" if row.gap is None else f"{row.gap:.1f}"
        bound = "-" if row.grans is None else f"{math.ceil(row.grans - 1e-6)}"
        gap_bound = "-" if row.gap_grans is None else f"{row.gap_grans:.1f}"
        median = "-" if row.median is None else f"{row.median:g}"
        runs = ", ".join("-" if v is None else str(v) for v in values)
        beat = "-" if row.naiv is None else f"{row.slog_naiv} av {upprepa}"
        if markdown:
            out(f"| {row.instans} | {row.mal} | {row.publicerat} | {gap} | {bound} | "
                f"{gap_bound} | {row.naiv} | "
                f"{row.sekunder:.0f} | {row.status} |"
                + (f" {runs} | {median} | {beat} |" if repeated else ""))
        else:
            out(f"{row.instans:<12} {str(row.mal):>7} {str(row.publicerat):>7} {gap:>7} "
                f"{bound:>7} {gap_bound:>11} {str(row.naiv):>7} {row.sekunder:6.0f}  {row.status}"
                + (f"  {median:>7} {beat:>10}  {runs}" if repeated else ""))
    gaps = [r.gap for r in rows if r.gap is not None]
    if gaps:
        out(f"Medelgap mot publicerat bästa: {sum(gaps) / len(gaps):.2f} %")
    if repeated:
        medians = [100.0 * (r.median - r.publicerat) / r.publicerat for r in rows
                   if r.median is not None and r.publicerat]
        if medians:
            out(f"Medelgap för medianen mot publicerat bästa: "
                f"{sum(medians) / len(medians):.2f} %")
    bound_gaps = [r.gap_grans for r in rows if r.gap_grans is not None]
    if bound_gaps:
        # the median: one instance with a weak bound (0 or near it) would swamp a mean
        out(f"Mediangap mot nedre gräns (högst så långt från bästa möjliga): "
            f"{statistics.median(bound_gaps):.2f} %")
    return rows
