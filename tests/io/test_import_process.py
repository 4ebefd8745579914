"""`bemanning importera` som en egen process slutar direkt när utskriften är klar (utan att frigöra
importens objekt ett och ett): registret är ändå stängt och helt, utskriften hel, slutkoden 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bemanning.io.generator import generate
from bemanning.store import open_register

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bemanning", *argv], capture_output=True, env=env, check=False)


def test_import_as_a_process_prints_everything_closes_the_register_and_ends_with_code_zero(tmp_path) -> None:
    files = generate(tmp_path / "filer", beslut=60, uppdragstagare=10, seed=3)
    db = tmp_path / "r.sqlite"
    proc = _run("--db", str(db), "importera", *map(str, files.values()))
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    assert "beslut: 60 nya" in text and text.endswith("händelser sparade\n")
    # Registret stängdes före slutet: SQLite har fört över sin logg till filen och tagit bort den.
    assert not Path(f"{db}-wal").exists()
    reg = open_register(db)
    try:
        assert len(reg.beslut_ids()) == 60
        assert len(reg.events()) == int(text.rsplit(" händelser", 1)[0].rsplit("\n", 1)[-1].replace(" ", ""))
    finally:
        reg.close()
    again = _run("--db", str(db), "importera", *map(str, files.values()))
    assert again.returncode == 0 and "Inget nytt" in again.stdout.decode()


def test_a_failed_import_as_a_process_still_gives_the_swedish_error_and_changes_nothing(tmp_path) -> None:
    files = generate(tmp_path / "filer", beslut=20, uppdragstagare=5, seed=4)
    beslut = files["beslut"]
    lines = beslut.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    broken = lines[1].split(";")
    broken[header.index("beslutsdatum")] = "31-31-2025"
    beslut.write_text("\n".join([lines[0], ";".join(broken), *lines[2:]]) + "\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    proc = _run("--db", str(db), "importera", *map(str, files.values()))
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert "beslutsdatum" in err and "rad 2" in err and "Traceback" not in err
    reg = open_register(db)
    try:
        assert reg.beslut_ids() == [] and reg.last_event_id() == 0
    finally:
        reg.close()


def test_after_an_import_the_garbage_collector_is_on_and_has_no_backlog_from_the_import(tmp_path) -> None:
    """Skräpsamlaren är avstängd under importen och på igen efteråt; importens objekt räknas då som
    gamla, så att ingen samling av dem alla väntar direkt efter importen (räkningen är nollställd)."""
    import gc

    from bemanning.io.importer import import_files

    files = generate(tmp_path / "filer", beslut=200, uppdragstagare=10, seed=5)
    reg = open_register(tmp_path / "r.sqlite")
    try:
        assert gc.isenabled()
        thresholds = gc.get_threshold()
        gc.set_threshold(10**9, 10**9, 10**9)  # ingen samling under provet: räkningen syns som den är
        try:
            result = import_files(reg, list(files.values()))
            counts = gc.get_count()
        finally:
            gc.set_threshold(*thresholds)
        assert result.written and len(result.events) > 200
        assert gc.isenabled()
        assert counts[0] < 1000 and counts[1] == 0 and counts[2] == 0
    finally:
        reg.close()
