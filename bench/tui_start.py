"""Från processens start till Beslut-listans första sida (issue 15: ≤ 1 s vid 100 000 beslut).

    .venv/bin/python bench/tui_start.py --db REGISTER [--gånger 3] [--per ÅÅÅÅ-MM-DD] [--tmux]

Varje mätning är en ny Python-process (importerna räknas med). Processen bygger appen med den
enda appfabriken (`tui.app.create_app`), kör den huvudlöst (`App.run_test`, 120×40), trycker `2`
(`App.simulate_key`) så fort appen tar emot tangenter och väntar tills Beslut-tabellen har sina
första rader och skärmen med dem är ritad (lämnad till terminaldrivrutinen). Tiderna räknas från
före `Popen` i mätprocessen:

- `importer`: `tui.app` importerad;
- `appen redo`: Översikten visad (appen tar emot tangenter);
- `första sidan`: Beslut-tabellen har rader och är ritad (det issue 15 mäter);
- `första sidan, processens CPU-tid`: processens CPU-tid (alla trådar) fram till dess: mindre
  beroende av andra program på maskinen än väggklockan;
- `antal klart`: raden "N av M beslut" står över tabellen;
- `sök`: ordet "kontaktperson" i sökfältet, från Enter till den ritade sidan och till det ritade
  antalet träffar;
- `översiktens siffror`: Översiktens siffror (utom avgiftsrisken) är räknade i bakgrunden;
- `tangent 1 till avgiftsrisken`: avgiftsrisken räknas bara medan Översikten visas; tiden från
  tangenten 1 (tillbaka till Översikten) tills den står där.

Med `--tmux` startas dessutom det riktiga programmet (`bemanning --db …`) i en tmux-terminal
(120×40); tangenten `2` skickas när Översikten syns, och tiden är den tills tabellens första
beslut-id syns i terminalen (tmux capture-pane var 10:e ms).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def _child(db: str, t0: float, per: str | None) -> dict[str, float]:
    import asyncio

    sys.path.insert(0, str(ROOT))
    from datetime import date

    from tui.app import create_app

    out: dict[str, float] = {"importer": time.time() - t0}
    app = create_app(db, today=date.fromisoformat(per) if per else None)
    # Pilotens press() och pause() väntar tills processen är ledig (upp till en sekund i taget)
    # och skulle mäta arbetarna i bakgrunden, inte det användaren ser: tangenten skickas därför
    # med simulate_key, och "ritad" är första gången appen lämnar en färdig skärm till
    # terminaldrivrutinen (App._display) efter att tabellen fått sina rader.
    drawn: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        drawn.append(time.time())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]

    async def until(cond, timeout: float = 120.0) -> None:
        began = time.time()
        while not cond():
            if time.time() - began > timeout:
                raise TimeoutError
            await asyncio.sleep(0.002)

    async with app.run_test(size=(120, 40)):
        out["appen redo"] = time.time() - t0
        app.simulate_key("2")
        await until(lambda: type(app.screen).__name__ == "BeslutScreen")
        screen = app.screen
        table = screen.query_one("#beslut-tabell")
        await until(lambda: table.row_count > 0)
        rows_at = time.time()
        out["rader i första ritningen"] = table.row_count
        await until(lambda: drawn and drawn[-1] >= rows_at)
        out["första sidan"] = drawn[-1] - t0
        out["första sidan, processens CPU-tid"] = time.process_time()
        info = screen.query_one("#beslut-info")
        await until(lambda: " av " in str(info.render()))
        out["antal klart"] = time.time() - t0
        oversikt = app.get_screen_stack("oversikt")[0]
        oppna = oversikt.query_one("#ruta-oppna")
        await until(lambda: "beslut" in str(oppna.render()))
        out["översiktens siffror"] = time.time() - t0
        # sökning: ordet står i fältet, tiden räknas från Enter till den ritade sidan med antalet
        sok = screen.query_one("#sok")
        sok.focus()
        sok.value = "kontaktperson"
        await asyncio.sleep(0.3)  # fältets egen fördröjda sökning (0,15 s) hinner gå först
        await until(lambda: "Räknar" not in str(info.render()))
        before = screen.sida_rader
        began = time.time()
        app.simulate_key("enter")
        await until(lambda: screen.sida_rader is not before)
        done = time.time()
        await until(lambda: drawn and drawn[-1] >= done)
        out["sök (från Enter till ritad sida)"] = drawn[-1] - began
        await until(lambda: "Räknar" not in str(info.render()))
        done = time.time()
        await until(lambda: drawn and drawn[-1] >= done)
        out["sök (från Enter till ritat antal)"] = drawn[-1] - began
        out["träffar"] = float(str(info.render()).split(" av ")[0].replace("\xa0", "").replace(" ", ""))
        # avgiftsrisken räknas medan Översikten visas: tillbaka dit med 1
        began = time.time()
        app.simulate_key("1")
        avgift = oversikt.query_one("#ruta-avgift")
        await until(lambda: "kan ge avgift" in str(avgift.render()))
        out["tangent 1 till avgiftsrisken (från tangenten)"] = time.time() - began
    app.register.close()
    return out


def child_main(db: str, t0: float, per: str | None) -> None:
    import asyncio

    print(json.dumps(asyncio.run(_child(db, t0, per))))


def measure_headless(db: str, per: str | None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--db", db, "--barn"]
    if per:
        cmd += ["--per", per]
    t0 = time.time()
    result = subprocess.run([*cmd, repr(t0)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_tmux(db: str, first_id_prefix: str) -> tuple[float, float] | None:
    """Det riktiga programmet i en riktig terminal (tmux): sekunder från start, och från tangenten
    2 (skickad så fort Översikten syns), till att Beslut-tabellens första rad syns."""
    if shutil.which("tmux") is None:
        return None
    exe = str(Path(sys.executable).parent / "bemanning")
    session = f"tui-start-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}

    def screen_text() -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True,
                              env=env).stdout

    t0 = time.time()
    # tmux-servern ger nya fönster sin egen miljö: PYTHONPATH (en annan version av koden) skickas med
    command = ["env", f"PYTHONPATH={os.environ['PYTHONPATH']}"] if os.environ.get("PYTHONPATH") else []
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", *command, exe, "--db", db],
                   check=True, env=env)
    try:
        sent: float | None = None
        while time.time() - t0 < 120:
            text = screen_text()
            if sent is None and "Öppna beslut" in text:
                subprocess.run(["tmux", "send-keys", "-t", session, "2"], check=True, env=env)
                sent = time.time() - t0
            if sent is not None and any(line.lstrip(" │▎").startswith(first_id_prefix) for line in text.splitlines()):
                if os.environ.get("TUI_START_VISA"):
                    print(f"tangenten 2 efter {sent:.2f} s", text, sep="\n", file=sys.stderr)
                now = time.time() - t0
                return now, now - sent
            time.sleep(0.01)
        return None
    finally:
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], env=env)
        time.sleep(0.5)
        subprocess.run(["tmux", "kill-session", "-t", session], env=env, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--gånger", "--ganger", dest="ganger", type=int, default=3)
    parser.add_argument("--per", help="dagen appen visar (standard: i dag)")
    parser.add_argument("--tmux", action="store_true", help="mät också det riktiga programmet i tmux")
    parser.add_argument("--id-prefix", default="DEMO-", help="hur tabellens beslut-id börjar (för --tmux)")
    parser.add_argument("--barn", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.barn is not None:
        child_main(args.db, args.barn, args.per)
        return
    print(f"belastning: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    runs = [measure_headless(args.db, args.per) for _ in range(args.ganger)]
    for key in runs[0]:
        values = [r[key] for r in runs]
        if key in ("rader i första ritningen", "träffar"):
            print(f"{key}: {int(values[0])}")
            continue
        print(f"{key}: median {statistics.median(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})")
    if args.tmux:
        times = [measure_tmux(args.db, args.id_prefix) for _ in range(args.ganger)]
        ok = [t for t in times if t is not None]
        if not ok:
            print("tmux: ingen mätning")
        for index, label in ((0, "från start"), (1, "från tangenten 2")):
            if ok:
                values = [t[index] for t in ok]
                print(f"tmux, första sidan i terminalen {label}: median {statistics.median(values):.2f} s "
                      f"({', '.join(f'{v:.2f}' for v in values)})")
    print(f"belastning efter: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
