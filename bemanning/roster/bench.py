"""Benchmark runs: the Curtois & Qu instances through the same engine."""

from __future__ import annotations

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

    @property
    def gap(self) -> float | None:
        if self.mal is None or not self.publicerat:
            return None
        return 100.0 * (self.mal - self.publicerat) / self.publicerat


def run_curtois(directory: Path, names: Sequence[str], *, sekunder: float = 60.0,
                arbetare: int = 2, slumpfro: int = 1, out: Callable[[str], None] = print,
                markdown: bool = False) -> list[BenchRad]:
    from bemanning.roster import curtois
    from bemanning.roster.checker import check
    from bemanning.roster.solver import solve

    if not directory.exists():
        raise UserError(f"Katalogen {directory} finns inte; ange --katalog.")
    header = ("| Instans | mål | publicerat bästa | gap % | bästa naiva CP-SAT | tid s | status |"
              if markdown else
              f"{'instans':<12} {'mål':>7} {'bästa':>7} {'gap %':>7} {'naiv':>7} {'tid s':>6}  status")
    out(header)
    if markdown:
        out("|---|---|---|---|---|---|---|")
    rows = []
    for name in names:
        path = curtois.instance_path(directory, name)
        inst = curtois.parse(path)
        number = int(inst.name.replace("Instance", "")) if inst.name[8:].isdigit() else None
        began = time.monotonic()
        problem = curtois.to_problem(inst)
        result = solve(problem, curtois.settings(inst, sekunder=sekunder, arbetare=arbetare,
                                                 slumpfro=slumpfro))
        seconds = time.monotonic() - began
        value, errors = None, 0
        if result.schema is not None:
            assignment = {(a.person_id, a.dag): a.pass_id for a in result.schema.tilldelningar}
            value = curtois.objective(inst, assignment)
            errors = len(curtois.hard_violations(inst, assignment)) + len(check(problem, result.schema))
        row = BenchRad(inst.name, value, curtois.PUBLISHED_BEST.get(number),
                       curtois.NAIVE_BEST.get(number) if number else None,
                       seconds, result.status + (f", {errors} fel" if errors else ""), errors)
        rows.append(row)
        gap = "-" if row.gap is None else f"{row.gap:.1f}"
        if markdown:
            out(f"| {row.instans} | {row.mal} | {row.publicerat} | {gap} | {row.naiv} | "
                f"{row.sekunder:.0f} | {row.status} |")
        else:
            out(f"{row.instans:<12} {str(row.mal):>7} {str(row.publicerat):>7} {gap:>7} "
                f"{str(row.naiv):>7} {row.sekunder:6.0f}  {row.status}")
    gaps = [r.gap for r in rows if r.gap is not None]
    if gaps:
        out(f"Medelgap mot publicerat bästa: {sum(gaps) / len(gaps):.2f} %")
    return rows
