"""Demoregistret: en fiktiv kommun ur `data/demo/`, med datumen flyttade så att demon alltid är aktuell.

Filerna i `data/demo/` är skrivna med referensdagen DEMO_REFERENCE. När demoregistret byggs
flyttas alla datum lika många dagar som gått sedan dess, så att köerna ser ut som i dag.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bemanning.errors import UserError
from bemanning.io.importer import import_files
from bemanning.paths import data_dir, demo_db_path
from bemanning.store import open_register

DEMO_REFERENCE = date(2026, 11, 23)
DEMO_FILES = ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden")
_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")


def demo_dir() -> Path:
    return data_dir() / "demo"


def shift_dates(text: str, days: int) -> str:
    if days == 0:
        return text
    return _DATE.sub(lambda m: (date.fromisoformat(m.group(1)) + timedelta(days=days)).isoformat(), text)


def load_demo(db: str | Path, *, today: date | None = None, progress: Callable[[str], None] | None = None) -> None:
    """Importera demofilerna (med flyttade datum) till registret `db`."""
    shift = ((today or date.today()) - DEMO_REFERENCE).days
    with tempfile.TemporaryDirectory(prefix="bemanning-demo-") as tmp:
        paths = []
        for name in DEMO_FILES:
            source = demo_dir() / f"{name}.csv"
            target = Path(tmp) / source.name
            target.write_text(shift_dates(source.read_text(encoding="utf-8-sig"), shift), encoding="utf-8")
            paths.append(target)
        reg = open_register(db)
        try:
            result = import_files(reg, paths, today=today, source="demo")
        finally:
            reg.close()
    if progress:
        for line in result.summary_lines():
            progress(line)


def is_demo_register(path: Path) -> bool:
    """Byggdes registret av demon? (Dess första händelse kommer från demofilerna.)"""
    reg = open_register(path)
    try:
        source = reg.first_source()
    finally:
        reg.close()
    return source is None or source.startswith("demo:")


def ensure_demo_register(
    db: str | Path | None = None,
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Demoregistret finns och är laddat; byggs om från grunden med `rebuild`.

    `db` är den fil som `--db` eller BEMANNING_DB anger, annars demofilen i användarens
    datakatalog. En fil som finns men inte är ett demoregister rörs aldrig: demon vägrar hellre än
    att visa (eller med `--ny` radera) ett riktigt register.
    """
    path = Path(db) if db else demo_db_path()
    if "://" in str(db or ""):
        raise UserError("Demon bygger en egen SQLite-fil; ange en filsökväg med --db, inte en databas-URL.")
    if path.exists() and not is_demo_register(path):
        raise UserError(
            f"{path} är ett riktigt register, inte demons. Demon rör det inte: ange en annan fil för "
            "demon med --db, eller starta programmet på registret med bemanning --db " f"{path}."
        )
    if rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    if not path.exists():
        if progress:
            progress(f"Bygger demoregistret i {path} …")
        tmp = path.with_name(path.name + ".bygger")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        if not tmp.parent.is_dir() and tmp.parent.resolve() != demo_db_path().parent.resolve():
            raise UserError(f"Katalogen {tmp.parent} finns inte. Skapa den först, eller ange en annan fil "
                            "för demon med --db.")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        load_demo(tmp, progress=progress)
        shutil.move(tmp, path)
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path
