"""Mätning: månadens statistikrapport över ett genererat register med 100 000 beslut.

    .venv/bin/python bench/rapport.py [--antal 100000] [--ny]

Registret genereras (bemanning.io.generator, fast frö), importeras en gång och sparas i
bench/out/ så att bara rapporten mäts vid nästa körning (--ny bygger om). Mäter:
hopvikningen av registrets läge per rapportdatum (reg.beslut_lagen), själva rapporten
(regel, orsak, sortering, tabellerna) och skrivningen av varje format. Inte ett test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"


def _timed(label: str, func, results: list[tuple[str, float]]):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    results.append((label, elapsed))
    print(f"{label:<44} {elapsed:8.2f} s", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--antal", type=int, default=100_000, help="antal beslut (standard 100 000)")
    parser.add_argument("--ny", action="store_true", help="generera och importera registret på nytt")
    parser.add_argument("--datum", default="2026-10-31", help="rapportdatum (standard 2026-10-31)")
    args = parser.parse_args(argv)

    from bemanning.io.generator import generate
    from bemanning.io.importer import import_files
    from bemanning.reports import manadsrapport
    from bemanning.reports.ej_verkstallda import statistikrapport
    from bemanning.reports.format import render
    from bemanning.reports.installningar import Installningar
    from bemanning.store import open_register

    OUT.mkdir(exist_ok=True)
    db = OUT / f"rapport-{args.antal}.sqlite"
    results: list[tuple[str, float]] = []
    if args.ny or not db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        data_dir = OUT / f"rapport-{args.antal}-csv"
        files = _timed(f"generera {args.antal} beslut (CSV)",
                       lambda: generate(data_dir, beslut=args.antal, seed=2026), results)
        reg = open_register(db)
        _timed("importera beslut och erbjudanden", lambda: import_files(
            reg, [files["beslut"], files["erbjudanden"]], today=date(2026, 11, 23)), results)
        reg.close()

    per = date.fromisoformat(args.datum)
    reg = open_register(db)
    lagen = _timed("registrets läge per rapportdatum (beslut_lagen)", lambda: reg.beslut_lagen(per), results)
    rapport = _timed("statistikrapport (regel, orsak, tabeller)", lambda: statistikrapport(lagen, per), results)
    settings = Installningar()
    dok = manadsrapport.dokument(rapport, settings)
    for fmt in ("md", "csv", "txt", "xlsx", "docx"):
        _timed(f"skriv {fmt}", lambda fmt=fmt: render(dok, fmt), results)
    _timed("skriv detalj-csv", lambda: manadsrapport.detalj_csv(rapport), results)
    reg.close()
    total = sum(t for label, t in results if not label.startswith(("generera", "importera")))
    print(f"{len(lagen)} beslut i registret, {len(rapport.rader)} rader i rapporten; "
          f"rapport från registret till alla format: {total:.2f} s (nproc {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
