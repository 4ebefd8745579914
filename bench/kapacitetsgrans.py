"""The capacity bound (`capacity.coverage_bound`) alone on Curtois & Qu 1–16, no solving.

Prints per instance the bound, the best published value, the bound as a share of it and the
time to build and solve the LP (the instance's parsing not counted), as a Markdown table.

    .venv/bin/python bench/kapacitetsgrans.py          # 1–16
    .venv/bin/python bench/kapacitetsgrans.py 13 15
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bemanning.cli.schema import default_curtois_dir
from bemanning.roster import curtois
from bemanning.roster.capacity import coverage_bound


def main() -> int:
    numbers = [int(a) for a in sys.argv[1:]] or list(range(1, 17))
    folder = Path(default_curtois_dir())
    print("| instans | kapacitetsgräns | bästa publicerade | andel | tid ms |")
    print("|---|---:|---:|---:|---:|")
    for n in numbers:
        problem = curtois.to_problem(curtois.parse(curtois.instance_path(folder, str(n))))
        began = time.perf_counter()
        bound = coverage_bound(problem)
        ms = 1000 * (time.perf_counter() - began)
        best = curtois.PUBLISHED_BEST.get(n)
        share = "–" if bound is None or not best else f"{100 * bound / best:.0f} %"
        shown = "–" if bound is None else f"{bound:.0f}"
        print(f"| {n} | {shown} | {best or '–'} | {share} | {ms:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
