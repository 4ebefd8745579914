"""Mätning: `bemanning matcha --json` med två utgåvor av koden, växelvis, som nya processer.

    .venv/bin/python bench/matcha_vaxelvis.py --fore /tmp/main-src --db r100k.sqlite [--par 3] [--per 2026-12-05]

`--fore` är en katalog med den andra utgåvan av paketet (t.ex. `git archive main bemanning | tar -x -C
KATALOG`), "efter" är den här utcheckningen; båda körs med samma Python i en tom katalog (så att det är
`PYTHONPATH` som avgör vilken kod som körs). Först en uppvärmning av var, sedan `--par` par där
ordningen byts varje gång (före–efter, efter–före, …), så att en last som ändras drabbar båda lika.
Varje rad visar väggklockan, processens CPU-tid (användare + system) och största minnet, och
maskinens belastning före paret; sist medianerna. Utdata kastas (som i `register_kommandon.py`).
Inte ett test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def run_once(code: str, db: str, argv: list[str], cwd: str) -> tuple[float, float, float]:
    """(väggklocka s, CPU s, max RSS MB) för en process."""
    import time

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = code
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bemanning", "--db", db, "matcha", "--json", *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{code}: matcha --json gav slutkod {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fore", required=True, help="katalog med den andra utgåvan av paketet bemanning")
    parser.add_argument("--db", required=True, help="registret (fil eller URL)")
    parser.add_argument("--par", type=int, default=3, help="antal par före–efter (standard 3)")
    parser.add_argument("--per", default="2026-12-05", help="dagen (standard 2026-12-05)")
    args = parser.parse_args(argv)
    codes = {"före": args.fore, "efter": str(HERE)}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as empty:
        for code in codes.values():
            run_once(code, args.db, ["--per", args.per], empty)  # uppvärmning
        for i in range(args.par):
            load = os.getloadavg()[0]
            for name in (list(codes) if i % 2 == 0 else list(codes)[::-1]):
                wall, cpu, rss = run_once(codes[name], args.db, ["--per", args.per], empty)
                runs[name].append((wall, cpu, rss))
                print(f"{i + 1} {name:5s} vägg {wall:5.2f} s  CPU {cpu:5.2f} s  {rss:4.0f} MB  (belastning {load:.1f})",
                      flush=True)
    for name, found in runs.items():
        walls, cpus = [r[0] for r in found], [r[1] for r in found]
        print(f"{name:5s} median vägg {statistics.median(walls):.2f} s ({min(walls):.2f}–{max(walls):.2f}), "
              f"CPU {statistics.median(cpus):.2f} s ({min(cpus):.2f}–{max(cpus):.2f}), "
              f"{statistics.median(r[2] for r in found):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
