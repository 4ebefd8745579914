#!/usr/bin/env bash
# Startar en PostgreSQL för testerna (en engångskluster i en temporär katalog, bara unix-socket).
#
#   bash scripts/postgres-for-tests.sh           starta (eller återanvänd) och skriv URL:en på stdout
#   bash scripts/postgres-for-tests.sh --stoppa  stoppa klustret och ta bort katalogen
#
# URL:en skrivs också till $STATE/url, där testerna (tests/postgres/pg.py) hittar den om
# BEMANNING_TEST_PG_URL inte är satt. Servern installeras med apt-get när skriptet körs som root
# på Debian och ingen server finns. Går något fel skrivs en svensk rad på standardfel och
# orsaken till $STATE/fel; skriptet avslutar ändå med 0 så att resten av testsviten körs (testerna
# mot PostgreSQL hoppas då över med den orsaken). Varje steg har en tidsgräns.

set -u
STATE="${BEMANNING_PG_STATE:-/tmp/bemanning-postgres-for-tests}"
DB=bemanning_test

say() { echo "postgres-for-tests: $*" >&2; }

give_up() {
    mkdir -p "$STATE" 2>/dev/null
    rm -f "$STATE/url" 2>/dev/null
    { echo "$*" >"$STATE/fel"; } 2>/dev/null
    say "$* Testerna mot PostgreSQL hoppas över."
    exit 0
}

find_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# Kör som postgres-användaren när vi är root (PostgreSQL vägrar köra som root), annars som oss själva.
# Alla ärvda filbeskrivare utöver 0-2 stängs först: servern lever kvar efter skriptet och får inte
# hålla låset eller en rörledning (make, CI) öppen, annars väntar den som läser i evighet.
as_owner() {
    (
        for fd in $(ls /proc/$BASHPID/fd 2>/dev/null); do
            if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null; fi
        done
        if [ "$(id -u)" = 0 ]; then
            exec runuser -u postgres -- "$@"
        else
            exec "$@"
        fi
    )
}

url() {
    echo "postgresql+psycopg://${PGUSER_NAME}@/${DB}?host=${STATE}/sock"
}

if [ "$(id -u)" = 0 ]; then PGUSER_NAME=postgres; else PGUSER_NAME="$(id -un)"; fi
BIN=""

stop() {
    BIN="$(find_bin)" || return 0
    if [ -f "$STATE/data/PG_VERSION" ]; then
        as_owner timeout 30 "$BIN/pg_ctl" -D "$STATE/data" -m immediate stop </dev/null >/dev/null 2>&1
    fi
    rm -rf "$STATE"
}

if [ "${1:-}" = "--stoppa" ]; then
    stop
    exit 0
fi

mkdir -p "$STATE" 2>/dev/null || give_up "Kan inte skapa $STATE."
# Bara en körning åt gången (flera testkörningar på samma maskin delar klustret).
exec 9>"$STATE/.las"
if command -v flock >/dev/null 2>&1; then
    flock -w 600 9 || give_up "Väntade för länge på en annan körning av skriptet."
fi

# Finns redan en körande server från en tidigare körning: använd den.
if [ -f "$STATE/url" ] && [ -S "$STATE/sock/.s.PGSQL.5432" ]; then
    BIN="$(find_bin)"
    if [ -n "$BIN" ] && timeout 10 "$BIN/pg_isready" -q -h "$STATE/sock" -U "$PGUSER_NAME" -d "$DB"; then
        say "PostgreSQL körs redan ($STATE)."
        cat "$STATE/url"
        exit 0
    fi
fi
rm -f "$STATE/url" "$STATE/fel"

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" != 0 ]; then
        give_up "Ingen PostgreSQL-server är installerad och skriptet körs inte som root (installera paketet postgresql)."
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        give_up "Ingen PostgreSQL-server är installerad och apt-get saknas (inte Debian?)."
    fi
    say "installerar PostgreSQL med apt-get (tar en stund) …"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq </dev/null >"$STATE/apt.log" 2>&1 \
        || give_up "apt-get update misslyckades eller tog för lång tid (se $STATE/apt.log)."
    timeout 600 apt-get install -y -qq --no-install-recommends postgresql </dev/null >>"$STATE/apt.log" 2>&1 \
        || give_up "apt-get install postgresql misslyckades eller tog för lång tid (se $STATE/apt.log)."
    BIN="$(find_bin)" || give_up "PostgreSQL installerades men initdb och pg_ctl hittas inte."
fi

# En gammal katalog utan körande server (dödad körning, omstart): börja om.
if [ -d "$STATE/data" ]; then
    as_owner timeout 30 "$BIN/pg_ctl" -D "$STATE/data" -m immediate stop </dev/null >/dev/null 2>&1
    rm -rf "$STATE/data" "$STATE/sock"
fi
mkdir -p "$STATE/sock" || give_up "Kan inte skapa $STATE/sock."
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || give_up "Användaren postgres finns inte."
    chmod 755 "$STATE"
    chown postgres "$STATE/sock" || give_up "Kan inte ge postgres katalogen $STATE/sock."
    runuser -u postgres -- test -w "$STATE/sock" \
        || give_up "Användaren postgres når inte $STATE (välj en annan katalog med BEMANNING_PG_STATE)."
    install -d -o postgres -m 700 "$STATE/data" || give_up "Kan inte skapa $STATE/data."
fi

as_owner timeout 120 "$BIN/initdb" -D "$STATE/data" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C.UTF-8 \
    </dev/null >"$STATE/initdb.log" 2>&1 \
    || as_owner timeout 120 "$BIN/initdb" -D "$STATE/data" -U "$PGUSER_NAME" -A trust -E UTF8 --no-locale \
        </dev/null >"$STATE/initdb.log" 2>&1 \
    || give_up "initdb misslyckades (se $STATE/initdb.log)."

# Engångskluster: ingen TCP, ingen hållbarhet mot strömavbrott (snabbare tester).
OPTS="-c listen_addresses='' -c unix_socket_directories=$STATE/sock -c fsync=off"
OPTS="$OPTS -c synchronous_commit=off -c full_page_writes=off -c max_connections=120"
as_owner timeout 60 "$BIN/pg_ctl" -D "$STATE/data" -l "$STATE/data/server.log" -w -t 45 -o "$OPTS" start \
    </dev/null >"$STATE/pg_ctl.log" 2>&1 \
    || give_up "PostgreSQL startade inte (se $STATE/data/server.log)."

timeout 30 "$BIN/createdb" -h "$STATE/sock" -U "$PGUSER_NAME" "$DB" </dev/null >>"$STATE/pg_ctl.log" 2>&1 \
    || give_up "Kunde inte skapa databasen $DB (se $STATE/pg_ctl.log)."

url >"$STATE/url"
say "PostgreSQL körs för testerna: $(cat "$STATE/url")"
cat "$STATE/url"
exit 0
