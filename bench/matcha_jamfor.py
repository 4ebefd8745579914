"""Jämförelse: `bemanning matcha --json` med två utgåvor av koden, tecken för tecken.

    .venv/bin/python bench/matcha_jamfor.py --fore /tmp/main-src --db r1k.sqlite --db r100k.sqlite \
        [--per 2026-12-05 --per 2026-11-01] [--insats kontaktperson]

`--fore` är en katalog med en annan utgåva av paketet (t.ex. `git archive main bemanning | tar -x -C
KATALOG`); den körs med samma Python och `PYTHONPATH=KATALOG`. "Efter" är koden i den här
utcheckningen. Varje register körs för varje dag, och för varje dag med `--insats` om den ges,
som nya processer. Texten jämförs byte för byte utom raden `"sekunder": …` (matchningens tid).
Skriver en rad per fall och slutar med kod 1 om något fall skiljer. Inte ett test.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SEKUNDER = re.compile(rb'\n *"sekunder": [0-9.eE+-]+,\n')


def run(db: str, argv: list[str], pythonpath: str) -> bytes:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    # `-m` lägger arbetskatalogen först i sys.path: körs i en katalog utan paketet, så att det är
    # PYTHONPATH som avgör vilken utgåva som körs (och inte en utcheckning man råkar stå i).
    with tempfile.TemporaryDirectory() as empty:
        proc = subprocess.run([sys.executable, "-m", "bemanning", "--db", db, "matcha", "--json", *argv],
                              capture_output=True, env=env, check=False, cwd=empty)
    if proc.returncode != 0:
        raise SystemExit(f"{db} {' '.join(argv)} gav slutkod {proc.returncode}: {proc.stderr.decode()[:300]}")
    return proc.stdout


def normalized(text: bytes) -> bytes:
    found = SEKUNDER.findall(text)
    if len(found) != 1:
        raise SystemExit(f"raden sekunder finns {len(found)} gånger i svaret (väntat: en)")
    return SEKUNDER.sub(b'\n"sekunder": X,\n', text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fore", required=True, help="katalog med den andra utgåvan av paketet bemanning")
    parser.add_argument("--db", action="append", required=True, help="registret (fil eller URL); flera går")
    parser.add_argument("--per", action="append", help="dagen (flera går; standard 2026-12-05)")
    parser.add_argument("--insats", help="också med --insats TEXT för varje dag")
    args = parser.parse_args(argv)
    days = args.per or ["2026-12-05"]
    cases = [["--per", d] for d in days]
    if args.insats:
        cases += [["--per", d, "--insats", args.insats] for d in days]
    differ = 0
    for db in args.db:
        for case in cases:
            before = normalized(run(db, case, args.fore))
            after = normalized(run(db, case, str(HERE)))
            same = before == after
            differ += not same
            digest = hashlib.sha256(after).hexdigest()[:12]
            print(f"{'lika  ' if same else 'OLIKA '} {db.rsplit('/', 1)[-1][:40]:40s} {' '.join(case):40s} "
                  f"{len(after):>10,d} byte  sha256 {digest}", flush=True)
    print("Alla lika." if not differ else f"{differ} fall skiljer.")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
