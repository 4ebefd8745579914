"""Mätning av gränssnittet: start på demodata, och ett register med 100 000 beslut.

    .venv/bin/python bench/tui_startup.py [--beslut 100000] [--katalog /tmp/bench-tui]

1. Start: från `create_app` till att Översikten visar sina siffror (demoregistret, fast dag).
2. Stort register: importerar ett syntetiskt register (`bemanning generera`) om det saknas,
   startar appen, byter till Beslut och mäter tiden tills tabellen är fylld; sedan en sökning,
   ett filter (över tre månader), sortering, sidbyte och rullning – var och en från tangent
   till ritad skärm. Längsta blockeringen av händelseslingan mäts med en timer var 10:e ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.worker import WorkerCancelled  # noqa: E402

from bemanning.demo import DEMO_REFERENCE, load_demo  # noqa: E402
from tui.app import create_app  # noqa: E402


class Lag:
    """Längsta fördröjning av en timer som ska gå var 10:e ms (hur länge UI:t var låst)."""

    def __init__(self, app) -> None:
        self.app = app
        self.worst = 0.0
        self.last = time.perf_counter()

    def start(self) -> None:
        self.app.set_interval(0.01, self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - 0.01)
        self.last = now

    def reset(self) -> None:
        self.worst = 0.0
        self.last = time.perf_counter()
        GC.worst = 0.0


class GC:
    """Längsta skräpsamling (alla trådar håller GIL under den, så UI:t står still)."""

    worst = 0.0
    _start = 0.0

    @classmethod
    def callback(cls, phase: str, info: dict) -> None:
        if phase == "start":
            cls._start = time.perf_counter()
        else:
            cls.worst = max(cls.worst, time.perf_counter() - cls._start)


gc.callbacks.append(GC.callback)


async def wait_until(pilot, cond, timeout: float = 600.0) -> float:
    began = time.perf_counter()
    while not cond():
        if time.perf_counter() - began > timeout:
            raise TimeoutError
        await pilot.pause(0.005)
    await pilot.pause()
    return time.perf_counter() - began


async def startup(db: Path, today: date) -> float:
    began = time.perf_counter()
    app = create_app(db, today=today)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "av" in str(app.screen.query_one("#ruta-oppna").render()))
        elapsed = time.perf_counter() - began
    app.register.close()
    return elapsed


async def big(db: Path, today: date) -> dict[str, float]:
    from tui.screens.beslut import BeslutScreen

    results: dict[str, float] = {}
    app = create_app(db, today=today)
    async with app.run_test(size=(120, 40)) as pilot:
        lag = Lag(app)
        lag.start()
        lag.reset()
        began = time.perf_counter()
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, BeslutScreen)
        await wait_until(pilot, lambda: screen._laddad and screen.query_one("#beslut-tabell").row_count > 0)
        results["beslut: läsa och visa alla"] = time.perf_counter() - began
        results["antal beslut"] = screen.antal_alla
        results["största låsning under läsningen (s)"] = lag.worst
        results["längsta skräpsamling under läsningen (s)"] = GC.worst

        def timed(label: str):
            class T:
                async def __aenter__(self_):
                    lag.reset()
                    self_.t = time.perf_counter()

                async def __aexit__(self_, *exc):
                    await pilot.pause()
                    try:
                        await app.workers.wait_for_complete()  # sidorna läses i en arbetare
                    except WorkerCancelled:
                        pass  # en senare sida ersatte den
                    results[label] = time.perf_counter() - self_.t
                    results[label + " (största låsning)"] = lag.worst
                    results[label + " (längsta skräpsamling)"] = GC.worst
            return T()

        async with timed("sök 'kontaktperson' (från Enter)"):
            await pilot.press("slash", *"kontaktperson", "enter")
        async with timed("filter: över tre månader"):
            screen.query_one("#filter-over").value = True
            await pilot.pause()
        results["träffar"] = screen.antal
        async with timed("sortera (s)"):
            await pilot.press("s")
        async with timed("nästa sida (])"):
            await pilot.press("right_square_bracket")
        times = []
        for _ in range(20):
            t = time.perf_counter()
            await pilot.press("pagedown")
            times.append(time.perf_counter() - t)
        results["rulla en sida (median av 20)"] = statistics.median(times)
        async with timed("rensa sök och filter"):
            screen.query_one("#filter-over").value = False
            screen.query_one("#sok").value = ""
            screen.filtrera()
        results["alla igen"] = screen.antal
    app.register.close()
    return results


def ensure_big(katalog: Path, beslut: int) -> Path:
    db = katalog / f"register-{beslut}.sqlite"
    if db.exists():
        return db
    files = katalog / f"filer-{beslut}"
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "bemanning", "generera", str(files), "--beslut", str(beslut)], check=True)
    subprocess.run([bin_dir / "bemanning", "--db", str(db), "importera", *sorted(map(str, files.glob("*.csv")))],
                   check=True, stdout=subprocess.DEVNULL)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beslut", type=int, default=100_000)
    parser.add_argument("--katalog", type=Path, default=Path(tempfile.gettempdir()) / "bench-tui")
    args = parser.parse_args()
    args.katalog.mkdir(parents=True, exist_ok=True)
    demo = args.katalog / "demo.sqlite"
    if not demo.exists():
        load_demo(demo, today=DEMO_REFERENCE)
    starts = [asyncio.run(startup(demo, DEMO_REFERENCE)) for _ in range(3)]
    print(f"start på demodata (till siffrorna syns): median {statistics.median(starts):.2f} s, {[round(s, 2) for s in starts]}")
    db = ensure_big(args.katalog, args.beslut)
    for key, value in asyncio.run(big(db, date.today())).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
