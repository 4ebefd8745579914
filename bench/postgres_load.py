"""Lasttest av det delade registret: N samtidiga klienter (processer) läser och skriver i en begränsad tid.

Kör: .venv/bin/python bench/postgres_load.py [--klienter 20] [--sekunder 15] [--url postgresql://…]
     .venv/bin/python bench/postgres_load.py --sqlite          (samma last mot en SQLite-fil)

URL:en tas annars ur BEMANNING_TEST_PG_URL (scripts/postgres-for-tests.sh); lasten körs i ett eget
schema som tas bort efteråt. Varje klient öppnar registret själv och gör 70 % läsningar (ett
besluts läge, var tjugonde gång hela registrets läge) och 30 % skrivningar (ett erbjudande med en
unik märkning, med optimistisk versionering mot ett av tio "heta" beslut; vid konflikt läser den
om och försöker igen). Efteråt jämförs registret med klienternas kvitton: varje kvitterad skrivning
ska finnas exakt en gång och inget annat ska ha tillkommit. Avslutar med 1 om något gått förlorat
eller dubblerats. Siffrorna förs in i bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from bemanning.errors import ConflictError
from bemanning.io.importer import import_files
from bemanning.model import Entitet, Handelse, HandelseTyp
from bemanning.store import open_register
from bemanning.store.testing import pg_test_url, scratch_schema

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
PER = date(2026, 11, 23)
WRITE_SHARE = 0.3
HOT = 10


def _client(url: str, index: int, seconds: float, hot: list[str], all_ids: list[str], queue: mp.Queue) -> None:
    rng = random.Random(index)
    reg = open_register(url, user=f"klient{index}")
    acked: list[str] = []
    reads = conflicts = 0
    write_ms: list[float] = []
    read_ms: list[float] = []
    n = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if rng.random() < WRITE_SHARE:
                beslut = rng.choice(hot)
                tag = f"k{index}-{n}"
                n += 1
                t0 = time.perf_counter()
                while True:
                    seen = reg.version(Entitet.BESLUT, beslut)
                    event = Handelse(Entitet.BESLUT, beslut, HandelseTyp.ERBJUDANDE, PER,
                                     {"utfall": "tackat nej", "kandidat": tag}, "lasttest")
                    try:
                        reg.append([event], expected_version={(Entitet.BESLUT, beslut): seen})
                        break
                    except ConflictError:
                        conflicts += 1
                acked.append(tag)
                write_ms.append((time.perf_counter() - t0) * 1000)
            else:
                t0 = time.perf_counter()
                if rng.random() < 0.05:
                    reg.beslut_lagen(PER)
                else:
                    reg.beslut_lage(rng.choice(all_ids), PER)
                reads += 1
                read_ms.append((time.perf_counter() - t0) * 1000)
        queue.put({"index": index, "acked": acked, "reads": reads, "conflicts": conflicts,
                   "write_ms": write_ms, "read_ms": read_ms, "error": None})
    except Exception as exc:  # rapporteras till huvudprocessen
        queue.put({"index": index, "acked": acked, "reads": reads, "conflicts": conflicts,
                   "write_ms": write_ms, "read_ms": read_ms, "error": f"{type(exc).__name__}: {exc}"})
    finally:
        reg.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run(url: str, clients: int, seconds: float) -> dict:
    seed = open_register(url, user="lasttest")
    import_files(seed, [DEMO / f"{n}.csv" for n in ("omraden", "enheter", "personal", "uppdragstagare", "beslut",
                                                     "erbjudanden")], today=PER)
    all_ids = seed.beslut_ids()
    hot = all_ids[:HOT]
    before = seed.last_event_id()
    seed.close()
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, i, seconds, hot, all_ids, queue)) for i in range(clients)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        results.append(queue.get(timeout=seconds + 120))
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    check = open_register(url, user="lasttest")
    # allt som tillkommit efter fröet ska vara en kvitterad skrivning, exakt en gång
    stored = [e.data.get("kandidat") for e in check.events(Entitet.BESLUT) if e.id > before]
    check.close()
    acked = [tag for r in results for tag in r["acked"]]
    counts = Counter(stored)
    lost = sorted(set(acked) - set(counts))
    duplicated = sorted(tag for tag, c in counts.items() if c > 1)
    unacked = sorted(set(counts) - set(acked))
    writes = len(acked)
    reads = sum(r["reads"] for r in results)
    write_ms = [x for r in results for x in r["write_ms"]]
    read_ms = [x for r in results for x in r["read_ms"]]
    return {
        "klienter": clients, "sekunder": round(elapsed, 1), "läsningar": reads, "skrivningar": writes,
        "läsningar_per_s": round(reads / seconds), "skrivningar_per_s": round(writes / seconds),
        "konflikter_omförsök": sum(r["conflicts"] for r in results),
        "skrivning_ms_median": round(statistics.median(write_ms), 1) if write_ms else 0,
        "skrivning_ms_p95": round(_pct(write_ms, 0.95), 1),
        "läsning_ms_median": round(statistics.median(read_ms), 1) if read_ms else 0,
        "läsning_ms_p95": round(_pct(read_ms, 0.95), 1),
        "förlorade": len(lost), "dubblerade": len(duplicated), "okvitterade": len(unacked),
        "fel": [r["error"] for r in results if r["error"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--klienter", type=int, default=20)
    parser.add_argument("--sekunder", type=float, default=15.0)
    parser.add_argument("--url", help="PostgreSQL-URL (annars BEMANNING_TEST_PG_URL)")
    parser.add_argument("--sqlite", action="store_true", help="kör mot en SQLite-fil i stället")
    parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.sqlite:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            url = str(Path(folder) / "last.sqlite")
        else:
            if args.url:
                os.environ["BEMANNING_TEST_PG_URL"] = args.url
            base, reason = pg_test_url()
            if base is None:
                print(f"Ingen PostgreSQL: {reason}", file=sys.stderr)
                return 2
            url = stack.enter_context(scratch_schema(base, prefix="last"))
        result = run(url, args.klienter, args.sekunder)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    ok = not (result["förlorade"] or result["dubblerade"] or result["okvitterade"] or result["fel"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
