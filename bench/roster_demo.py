"""Demo roster benchmark (issue 5): both samplaneringsområden of the demo data, 6 weeks.

Solves each område with the same engine and settings as `bemanning schema`, checks every roster
with the independent checker and prints the figures and the time. Done-when: a roster that
passes the checker for the whole demo (about 120 staff) in under 2 minutes on 2 cores.

    .venv/bin/python bench/roster_demo.py                   # 55 s per område
    .venv/bin/python bench/roster_demo.py --sekunder 30
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

from bemanning.roster.checker import check
from bemanning.roster.figures import compute, fmt
from bemanning.roster.indata import build_problem, read_enheter_csv, read_personal_csv
from bemanning.roster.solver import Installningar, solve

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sekunder", type=float, default=55.0, help="tid per område")
    parser.add_argument("--arbetare", type=int, default=2)
    parser.add_argument("--veckor", type=int, default=6)
    args = parser.parse_args()
    personal = read_personal_csv(DEMO / "personal.csv")
    enheter = read_enheter_csv(DEMO / "enheter.csv")
    print(f"# nproc={os.cpu_count()} sekunder={args.sekunder} per område, "
          f"arbetare={args.arbetare}, {args.veckor} veckor från 2024-03-04", flush=True)
    print("| område | personal | pass i schemat | tid s | status | regelbrott | täckningsgrad % "
          "| obemannade h | andel timavlönade % | heltid schemalagda % | resurspass h "
          "(annan enhet / kontaktperson / öppet) | önskemål |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    began = time.monotonic()
    total_staff = 0
    ok = True
    for omrade in ("norr", "soder"):
        t0 = time.monotonic()
        problem = build_problem(personal=personal, enheter=enheter, omrade=omrade,
                                start=date(2024, 3, 4), weeks=args.veckor,
                                schema_dir=DEMO / "schema")
        result = solve(problem, Installningar(time_limit_s=args.sekunder, workers=args.arbetare))
        seconds = time.monotonic() - t0
        total_staff += len(problem.personal)
        if result.schema is None:
            print(f"| {omrade} | {len(problem.personal)} | - | {seconds:.0f} | {result.status} "
                  "| - | - | - | - | - | - | - |", flush=True)
            ok = False
            continue
        breaches = check(problem, result.schema)
        nt = compute(problem, result.schema)
        r = nt.resurspass_timmar
        uses = " / ".join(fmt(v, 0) for v in r.values())
        ok = ok and not breaches
        print(f"| {omrade} | {len(problem.personal)} | {len(result.schema.tilldelningar)} | "
              f"{seconds:.0f} | {result.status} | {len(breaches)} | {fmt(nt.tackningsgrad)} | "
              f"{fmt(nt.obemannade_timmar, 0)} | {fmt(nt.andel_timavlonade)} | "
              f"{fmt(nt.andel_heltid_schemalagda)} | {uses} | "
              f"{nt.onskemal_uppfyllda}/{nt.onskemal_totalt} |", flush=True)
    print(f"Totalt {total_staff} personer på {time.monotonic() - began:.0f} s.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
