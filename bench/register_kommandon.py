"""Mätning: kommandona som en användare kör mot ett stort register, som nya processer.

    .venv/bin/python bench/register_kommandon.py --db r1k.sqlite --db r100k.sqlite [--upprepa 3]

Registren byggs med `bemanning generera` och `bemanning importera` (se bench/RESULTS.md,
"Registrets projektioner"). Varje kommando körs `--upprepa` gånger som en ny process, som när
någon skriver det i terminalen; tabellen visar medianen av väggklockan, processens CPU-tid
(användare + system) och största minnet (max RSS). Python får skriva sina .pyc-filer, som i en
installation från hjulet (PYTHONDONTWRITEBYTECODE tas bort ur miljön). Maskinens belastning
skrivs före och efter, eftersom tiderna beror på den. Inte ett test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BEMANNING = [sys.executable, "-m", "bemanning"]

KOMMANDON = {
    "rapport manad (csv)": ["rapport", "manad", "--datum", "{datum}", "--format", "csv", "-o", "-"],
    "beslut --antal": ["beslut", "--per", "{per}", "--antal"],
    "beslut (väntande, lista)": ["beslut", "--per", "{per}", "--status", "ej-verkstallda"],
    "matcha --json": ["matcha", "--json"],
    "rapport avgift (csv)": ["rapport", "avgift", "--datum", "{datum}", "--format", "csv", "-o", "-"],
    "rapport ivo (csv)": ["rapport", "ivo", "--kvartal", "{kvartal}", "--format", "csv", "-o", "-"],
    "rapport revisorer (md)": ["rapport", "revisorer", "--kvartal", "{kvartal}", "--format", "md", "-o", "-"],
    "rapport kf (csv)": ["rapport", "kf", "--kvartal", "{kvartal}", "--format", "csv", "-o", "-"],
    "rapport jamfor (csv)": ["rapport", "jamfor", "--fran", "{fran}", "--till", "{datum}", "--format", "csv", "-o", "-"],
    "rapport aterforing": ["rapport", "aterforing", "--datum", "{datum}", "-o", "-"],
    "rapport aterforing --bara-oppna": ["rapport", "aterforing", "--datum", "{datum}", "--bara-oppna", "-o", "-"],
}


def run_once(db: str, argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(väggklocka s, CPU s, max RSS MB) för en process."""
    with tempfile.TemporaryFile() as errors:  # en fil, inte ett rör: varningar fyller aldrig en buffert
        start = time.perf_counter()
        proc = subprocess.Popen([*BEMANNING, "--db", db, *argv], stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(argv)} gav slutkod {code}: {errors.read().decode()[:300]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", required=True, help="registret (fil eller URL); flera går")
    parser.add_argument("--upprepa", type=int, default=3, help="körningar per kommando (standard 3)")
    parser.add_argument("--datum", default="2026-10-31", help="rapportdatum (standard 2026-10-31)")
    parser.add_argument("--per", default="2026-11-01", help="dagen för beslut (standard 2026-11-01)")
    parser.add_argument("--kvartal", default="2026K3", help="kvartalet för IVO, revisorerna och KF (standard 2026K3)")
    parser.add_argument("--fran", default="2026-09-30", help="jämförelsens första datum (standard 2026-09-30)")
    parser.add_argument("--bara", action="append", help="bara kommandon vars namn börjar så")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    values = {"datum": args.datum, "per": args.per, "kvartal": args.kvartal, "fran": args.fran}
    print(f"Belastning före: {os.getloadavg()[0]:.1f} ({os.cpu_count()} kärnor)", flush=True)
    print("| Kommando | Register | Väggklocka (median) | CPU | Max RSS |")
    print("|---|---|---:|---:|---:|")
    for name, template in KOMMANDON.items():
        if args.bara and not any(name.startswith(b) for b in args.bara):
            continue
        command = [part.format(**values) for part in template]
        for db in args.db:
            run_once(db, command, env)  # första körningen skriver .pyc och värmer filcachen
            runs = [run_once(db, command, env) for _ in range(args.upprepa)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            label = Path(db).name if "://" not in db else db.split("@")[-1].split("?")[0]
            print(f"| `{name}` | {label} | {wall:.2f} s ({min(r[0] for r in runs):.2f}–{max(r[0] for r in runs):.2f}) "
                  f"| {cpu:.2f} s | {rss:.0f} MB |", flush=True)
    print(f"\nBelastning efter: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
