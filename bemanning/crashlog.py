"""Ett internt fel (ett programfel) skrivs i en loggfil i användarens loggkatalog, aldrig som en
traceback på skärmen. Filen får felets väg genom koden, men inga lokala variabler, ingen SQL-sats
med parametrar och inget personnummer."""

from __future__ import annotations

import re
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs

from bemanning import __version__
from bemanning.model.display import mask_personnummer

_SQL_LINES = re.compile(r"^\s*\[(SQL|parameters):.*$", re.MULTILINE)

SENTENCE = ("Ett internt fel uppstod i bemanning; det är ett programfel, inte ett fel i dina uppgifter. "
            "Det som pågick avbröts, och det som redan var sparat finns kvar.")


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("bemanning", appauthor=False))


def scrub(text: str) -> str:
    """Ta bort SQL-satser med parametrar och maskera allt som liknar ett personnummer."""
    return mask_personnummer(_SQL_LINES.sub("  [SQL och parametrar borttagna]", text))


def write(error: BaseException, where: str) -> Path | None:
    """Skriv felet i loggkatalogens fel.log; returnerar filen, eller None om den inte gick att skriva."""
    text = scrub("".join(traceback.format_exception(error)))
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "fel.log"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')} bemanning {__version__} "
                         f"({where})\n{text}\n")
        return path
    except OSError:
        return None


def message(path: Path | None) -> str:
    """Meningen till användaren, med loggfilens sökväg."""
    if path is None:
        return SENTENCE + " Loggfilen gick inte att skriva."
    return SENTENCE + f" Skicka loggfilen till den som förvaltar programmet: {path}"
