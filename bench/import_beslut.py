"""Mätning: import av genererade beslut (med enskilda och erbjudanden) till ett tomt register.

Två sätt:

- `.venv/bin/python bench/import_beslut.py [--beslut 100000]`: genererar filerna och importerar dem
  i samma process (import, omimport och läsning av lägena).
- `.venv/bin/python bench/import_beslut.py --filer /tmp/big/gen100k [--postgresql URL] [--ganger 3]`:
  importerar filerna i katalogen (alla *.csv) som en ny `bemanning`-process per gång, i ett nytt
  register varje gång (en ny SQLite-fil, eller en ny databas på servern i URL:en, som tas bort
  efteråt), och skriver väggtid, processortid (user + sys), rader per sekund och toppminne för varje
  körning och medianen. Registret skapas av importen (migreringarna ingår i tiden), eller före
  mätningen med `--forskapat`. Rader är datarader i filerna (utan rubrikrader). Belastningen (`uptime`)
  skrivs före varje körning: maskinen delas, och processortiden är det stadigare måttet.

Siffrorna förs in i bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bemanning.io.generator import generate
from bemanning.io.importer import import_files
from bemanning.store import open_register


def in_process(beslut: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        files = generate(folder / "filer", beslut=beslut, uppdragstagare=400, seed=7)
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
    print(f"generera {beslut} beslut: {t_gen:.1f} s")
    print(f"import: {rows} rader, {len(result.events)} händelser på {t_import:.1f} s = {rows / t_import:,.0f} rader/s")
    print(f"omimport (inga ändringar, {len(again.events)} händelser): {t_reimport:.1f} s")
    print(f"läge per dag för {len(lagen)} beslut: {t_read:.2f} s")
    print(f"databasens storlek: {size:.1f} MB")


def _data_rows(files: list[Path]) -> int:
    return sum(max(0, sum(1 for line in f.open(encoding="utf-8-sig") if line.strip()) - 1) for f in files)


def _one_cli_run(command: list[str]) -> tuple[float, float, float, int]:
    """(väggtid, user + sys, toppminne i MB, slutkod) för en ny process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if proc.stderr is not None:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def cli_runs(folder: Path, times: int, postgresql: str | None, keep: Path | None, created: bool) -> None:
    files = sorted(folder.glob("*.csv"))
    rows = _data_rows(files)
    program = str(Path(sys.executable).with_name("bemanning"))
    results = []
    for run in range(times):
        load = os.getloadavg()[0]
        if postgresql:
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            url = make_url(postgresql)
            name = f"{url.database}_bench{run}"
            admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            db = url.set(database=name).render_as_string(hide_password=False)
        else:
            tmp = Path(tempfile.mkdtemp(prefix="import-bench-", dir=keep))
            db = str(tmp / "register.sqlite")
        if created:
            open_register(db).close()
        wall, cpu, peak, code = _one_cli_run([program, "--db", db, "importera", *map(str, files)])
        results.append((wall, cpu, peak))
        print(f"körning {run + 1}: belastning {load:.1f}, {wall:.2f} s vägg, {cpu:.2f} s CPU, "
              f"{rows / wall:,.0f} rader/s, toppminne {peak:.0f} MB, slutkod {code}".replace(",", " "))
        if postgresql:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    peak = max(r[2] for r in results)
    print(f"median av {times}: {wall:.2f} s vägg = {rows / wall:,.0f} rader/s, {cpu:.2f} s CPU, "
          f"toppminne {peak:.0f} MB ({rows} rader)".replace(",", " "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--beslut", type=int, default=100_000)
    parser.add_argument("--filer", type=Path, help="katalog med CSV-filer: mät nya CLI-processer")
    parser.add_argument("--postgresql", help="URL till en PostgreSQL-databas att skapa registren bredvid")
    parser.add_argument("--ganger", type=int, default=3)
    parser.add_argument("--katalog", type=Path, help="där SQLite-registren skapas (annars /tmp)")
    parser.add_argument("--forskapat", action="store_true",
                        help="skapa registret (migreringarna) före mätningen; annars skapar importen det")
    args = parser.parse_args()
    if args.filer:
        cli_runs(args.filer, args.ganger, args.postgresql, args.katalog, args.forskapat)
    else:
        in_process(args.beslut)


if __name__ == "__main__":
    main()
