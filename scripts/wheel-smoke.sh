#!/usr/bin/env bash
# Installerar programmet som en förvaltnings IT gör: hjulet i en ny virtuell miljö, utanför
# förrådet, och kör det från en annan katalog. Fångar filer som bara finns i en utcheckning.
#
#   bash scripts/wheel-smoke.sh [PYTHON]
#
# Steg: bygg hjulet, installera det i en tom venv i en temporär katalog, importera
# Ludvika-underlaget (../shared), skriv decemberrapporten 2023, matcha och lägg ett schema på
# 10 sekunder på demodata, och starta det interaktiva programmet utan skärm.
set -euo pipefail
PYTHON="${1:-python3}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
say() { echo "hjulprov: $*" >&2; }

say "bygger hjulet"
rm -rf "$REPO/build"  # en gammal build/lib kan annars föra med borttagna moduler
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$REPO" >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; say "hjulet gick inte att bygga"; exit 1; }
"$PYTHON" -m venv "$WORK/venv"
say "installerar $(basename "$WORK"/dist/*.whl) i en ny miljö"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WORK"/dist/*.whl \
    2>"$WORK/pip.log" || { cat "$WORK/pip.log" >&2; say "installationen misslyckades"; exit 1; }
BIN="$WORK/venv/bin"

mkdir -p "$WORK/annan"
cd "$WORK/annan"
export HOME="$WORK/hem" XDG_DATA_HOME="$WORK/hem/data" XDG_CONFIG_HOME="$WORK/hem/config"
unset BEMANNING_DB BEMANNING_CONFIG BEMANNING_DATA
if "$BIN/python" -c 'import bemanning, sys; sys.exit(0 if "/venv/" in bemanning.__file__ else 1)'; then
    :
else
    say "bemanning importerades inte från den nya miljön"; exit 1
fi

FIXTURE="$REPO/../shared/fixtures/ludvika-2023"
if [ -d "$FIXTURE" ]; then
    say "importerar Ludvika-underlaget och skriver decemberrapporten 2023"
    "$BIN/bemanning" --db ludvika.sqlite importera "$FIXTURE/beslut.csv" "$FIXTURE/erbjudanden.csv" >/dev/null
    "$BIN/bemanning" --db ludvika.sqlite rapport manad --datum 2023-12-31 --format md -o - > manad.md
    grep -q "31 december 2023" manad.md || { say "rapporten saknar sitt innehåll"; exit 1; }
else
    say "../shared/fixtures/ludvika-2023 saknas; hoppar över Ludvika-steget"
fi

say "matchar och lägger ett schema på demodata"
"$BIN/bemanning" --db demo.sqlite demo --bara-ladda >/dev/null 2>&1
"$BIN/bemanning" --db demo.sqlite matcha --json > matcha.json
"$BIN/python" -c 'import json; json.load(open("matcha.json"))'
"$BIN/bemanning" --db demo.sqlite schema --veckor 4 --tidsgrans 10 > schema.txt
grep -qi "täckning" schema.txt || { say "schemat gav inga nyckeltal"; cat schema.txt >&2; exit 1; }

say "startar det interaktiva programmet utan skärm"
"$BIN/python" - <<'PY'
import asyncio

from tui.app import create_app


async def main() -> None:
    app = create_app("demo.sqlite")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is not None
    app.register.close()


asyncio.run(main())
PY
say "klart: hjulet fungerar utanför förrådet"
