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


def ensure_demo_register(
    db: str | Path | None = None,
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Demoregistret finns och är laddat; byggs om från grunden med `rebuild`."""
    path = Path(db) if db else demo_db_path()
    if rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    if not path.exists():
        if progress:
            progress(f"Bygger demoregistret i {path} …")
        tmp = path.with_name(path.name + ".bygger")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        load_demo(tmp, progress=progress)
        shutil.move(tmp, path)
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path
