"""Curtois & Qu (2014) instances 1–12 through the roster engine (issue 5).

Prints per instance the objective, the best published value, the gap, the best proven lower
bound and the gap to it (how far the roster can at most be from the optimum), the better of
the two naive CP-SAT rows of the benchmark README, and the time. Same as `bemanning bench curtois`.

    .venv/bin/python bench/curtois.py                 # 1–12, 60 s each, 2 workers
    .venv/bin/python bench/curtois.py 1 8 --sekunder 30
    .venv/bin/python bench/curtois.py 7 --upprepa 3    # frö 1–3: alla mål, median, slog naiv
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
import sys
from pathlib import Path

from bemanning.cli.schema import default_curtois_dir
from bemanning.roster.bench import run_curtois


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instanser", nargs="*")
    parser.add_argument("--sekunder", type=float, default=60.0)
    parser.add_argument("--arbetare", type=int, default=2)
    parser.add_argument("--slumpfro", type=int, default=1)
    parser.add_argument("--katalog", default=str(default_curtois_dir()))
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--upprepa", type=int, default=1, metavar="N",
                        help="lös varje instans N gånger (frö efter frö)")
    parser.add_argument("--gransekunder", type=float, default=0.0,
                        help="sekunder till en nedre gräns ur raderna var för sig")
    parser.add_argument("--deterministisk", action="store_true",
                        help="tidsgränsen i CP-SAT:s deterministiska tid (samma resultat "
                             "oavsett last; klockan bara som säkerhetsgräns)")
    parser.add_argument("--satt", action="append", default=[], metavar="NAMN=VÄRDE",
                        help="ändra en inställning i Installningar (t.ex. delsekunder=2)")
    parser.add_argument("-v", action="store_true", help="logg till standardfel")
    args = parser.parse_args()
    if args.v:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    # a comparison under load: the clock's safety net at ten times the time limit
    andra: dict[str, object] = ({"deterministisk": True, "deterministisk_vakt": 10.0}
                                if args.deterministisk else {})
    for item in args.satt:
        name, _, text = item.partition("=")
        try:
            andra[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            andra[name] = text
    print(f"# nproc={os.cpu_count()} sekunder={args.sekunder} arbetare={args.arbetare} "
          f"last={os.getloadavg()[0]:.1f} {andra or ''}", flush=True)
    rows = run_curtois(Path(args.katalog), args.instanser or [str(i) for i in range(1, 13)],
                       time_limit_s=args.sekunder, workers=args.arbetare, seed=args.slumpfro,
                       out=lambda line: print(line, flush=True), markdown=args.markdown,
                       upprepa=args.upprepa, gransekunder=args.gransekunder, andra=andra)
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
