"""Mätning: matchningen på realistiska register (issue 21). Inte ett test: kör för hand och för in
siffrorna i RESULTS.md.

    .venv/bin/python bench/matching_register.py                      # demo, 20 000, timmar
    .venv/bin/python bench/matching_register.py 20000 100000 --cpsat  # också CP-SAT tvingad
    .venv/bin/python bench/matching_register.py 20000 --upprepa 5     # lösaren fem gånger

Registren:

- `demo`: demodata (`bemanning demo`), matchat per demons referensdag.
- `20000`, `100000`: `bemanning generera --beslut N` (standardfröt 2026, 40 uppdragstagare, 120
  anställda), importerat, matchat per 2026-12-04.
- `timmar`: samma generator med 20 000 beslut och 400 uppdragstagare, men uppdragstagarnas timtak
  varierar 4–16 h i månaden (1–3 uppdrag) och de matchbara besluten behöver 2–12 h (fast frö).

Registren sparas i bench/out/ och byggs bara om med --ny. För varje register mäts att läsa
registret och bygga problemet (kö, kandidater, rensning) för sig, och lösaren för sig
(`Losning.sekunder`): standardmetoden, och med --cpsat hela modellen i CP-SAT
(`[matchning.losare] metod = "cpsat"`). Tidsgränsen är 60 s, en arbetare, frö 1. CP-SAT:s
Python-modul importeras före mätningarna (första importen tar 0,5–2 s och sker en gång per process).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
PER = date(2026, 12, 4)


def _rewrite(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    for row in body:
        change(row, col)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([header, *body])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def build(name: str, *, fresh: bool) -> tuple[Path, date]:
    from bemanning.demo import DEMO_REFERENCE, load_demo
    from bemanning.io.generator import generate
    from bemanning.io.importer import import_files
    from bemanning.store import open_register

    OUT.mkdir(exist_ok=True)
    db = OUT / f"matchning-{name}.sqlite"
    per = DEMO_REFERENCE if name == "demo" else PER
    if db.exists() and not fresh:
        return db, per
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    if name == "demo":
        load_demo(db, today=DEMO_REFERENCE)
    else:
        n = 20000 if name == "timmar" else int(name)
        data = OUT / f"matchning-{name}-csv"
        files = generate(data, beslut=n, uppdragstagare=400 if name == "timmar" else 40)
        if name == "timmar":
            rng = random.Random(21)

            def upp(row, col):
                row[col["max_timmar_per_manad"]] = str(rng.randint(4, 16))
                row[col["max_uppdrag"]] = str(rng.randint(1, 3))

            def beslut(row, col):
                if row[col["timmar_per_manad"]]:
                    row[col["timmar_per_manad"]] = str(rng.randint(2, 12))

            _rewrite(files["uppdragstagare"], upp)
            _rewrite(files["beslut"], beslut)
        reg = open_register(db)
        try:
            order = ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden")
            import_files(reg, [files[k] for k in order], today=PER)
        finally:
            reg.close()
    print(f"{name}: registret byggt på {time.perf_counter() - started:.1f} s", flush=True)
    return db, per


def run(name: str, metod: str, *, fresh: bool, repeat: int = 1) -> dict:
    from bemanning.matching import engine
    from bemanning.matching.settings import Settings
    from bemanning.matching.solver import prune_exchange, weights
    from bemanning.store import open_register

    db, per = build(name, fresh=fresh)
    settings = attrs.evolve(Settings(), metod=metod, time_limit_s=60.0)
    captured = {}
    solve = engine.solve

    def spy(problem, **kw):
        captured["problem"] = problem
        return solve(problem, **kw)

    engine.solve = spy
    reg = open_register(db)
    try:
        t0 = time.perf_counter()
        result = engine.match_register(reg, per, settings=settings, explain=False)
        total = time.perf_counter() - t0
    finally:
        reg.close()
        engine.solve = solve
    p = captured["problem"]
    losning = result.losning
    times = [losning.sekunder]
    for _ in range(repeat - 1):  # samma problem igen: bara lösaren
        times.append(solve(p, metod=metod, time_limit_s=settings.time_limit_s, workers=settings.workers,
                           seed=settings.seed, cpsat_max_par=settings.cpsat_max_par).sekunder)
    return {
        "register": name, "metod": metod, "beslut_i_kon": p.n_beslut, "personer": p.n_kandidat, "par": p.n_edges,
        "par_efter_rensning": int(prune_exchange(p, weights(p)).sum()),
        "losare_s": round(losning.sekunder, 3),
        "losare_s_alla": [round(t, 3) for t in times], "losare_s_median": round(statistics.median(times), 3),
        "till_problem_s": round(total - losning.sekunder, 2),
        "motor": losning.metod, "bevisat": losning.optimal, "tackta": losning.tackta,
        "forsenade_tackta": losning.forsenade_tackta, "tackning": losning.tackning, "passform": losning.passform,
        "stabilitet": losning.stabilitet, "ovre_grans": losning.ovre_grans, "status": losning.status,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("register", nargs="*", default=["demo", "20000", "timmar"],
                        help="demo, timmar eller ett antal beslut (20000, 100000)")
    parser.add_argument("--cpsat", action="store_true", help="mät också med hela modellen i CP-SAT")
    parser.add_argument("--ny", action="store_true", help="bygg registren på nytt")
    parser.add_argument("--upprepa", type=int, default=1, metavar="N",
                        help="lös standardmetodens problem N gånger (median och alla tider)")
    args = parser.parse_args(argv)
    print(f"nproc={os.cpu_count()} python={sys.version.split()[0]}")
    t0 = time.perf_counter()
    from ortools.sat.python import cp_model  # noqa: F401 (en gång per process; räknas inte till lösaren)

    print(f"import av ortools.sat.python.cp_model: {time.perf_counter() - t0:.2f} s")
    for name in args.register:
        for metod in ("auto", "cpsat") if args.cpsat else ("auto",):
            repeat = args.upprepa if metod == "auto" else 1
            print(run(name, metod, fresh=args.ny and metod == "auto", repeat=repeat), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
