"""Mätning: import av 100 000 genererade beslut (med enskilda och erbjudanden) till ett tomt register.

Kör: .venv/bin/python bench/import_beslut.py [--beslut 100000]
Skriver rader per sekund; siffrorna förs in i bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from bemanning.io.generator import generate
from bemanning.io.importer import import_files
from bemanning.store import open_register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--beslut", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        files = generate(folder / "filer", beslut=args.beslut, uppdragstagare=400, seed=7)
        t_gen = time.perf_counter() - t0
        reg = open_register(folder / "register.sqlite")
        t1 = time.perf_counter()
        result = import_files(reg, [files["beslut"], files["erbjudanden"]], today=date(2026, 11, 23))
        t_import = time.perf_counter() - t1
        t2 = time.perf_counter()
        again = import_files(reg, [files["beslut"], files["erbjudanden"]], today=date(2026, 11, 23))
        t_reimport = time.perf_counter() - t2
        t3 = time.perf_counter()
        lagen = reg.beslut_lagen(date(2026, 11, 23))
        t_read = time.perf_counter() - t3
        rows = result.new["beslut"] + result.new["erbjudanden"]
        size = (folder / "register.sqlite").stat().st_size / 1e6
    print(f"kärnor: {os.cpu_count()}")
    print(f"generera {args.beslut} beslut: {t_gen:.1f} s")
    print(f"import: {rows} rader, {len(result.events)} händelser på {t_import:.1f} s = {rows / t_import:,.0f} rader/s")
    print(f"omimport (inga ändringar, {len(again.events)} händelser): {t_reimport:.1f} s")
    print(f"läge per dag för {len(lagen)} beslut: {t_read:.2f} s")
    print(f"databasens storlek: {size:.1f} MB")


if __name__ == "__main__":
    main()
