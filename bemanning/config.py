"""Inställningar i TOML: standardvärden i `data/<del>.toml`, användarens egna värden ovanpå.

Användarens fil är `bemanning.toml` i användarens konfigurationskatalog, eller filen som
miljövariabeln BEMANNING_CONFIG (eller flaggan --config) pekar på. Den har en tabell per
del, till exempel `[rapport]`, `[matchning]`, `[schema]`, med bara de värden man vill ändra.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
import tomli

from bemanning.errors import UserError
from bemanning.paths import APP_NAME, CONFIG_ENV, data_dir

_override_path: Path | None = None


def set_config_path(path: str | Path | None) -> None:
    """Sätts av CLI:t (--config) och av testerna."""
    global _override_path
    _override_path = Path(path) if path else None


def user_config_path() -> Path:
    if _override_path is not None:
        return _override_path
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "bemanning.toml"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; every fault (missing, unreadable, not UTF-8, not TOML) is a
    `UserError` in Swedish that names the file and, where it can, the line and column."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Filen {path} finns inte.") from None
    except IsADirectoryError:
        raise UserError(f"{path} är en katalog, inte en fil.") from None
    except PermissionError:
        raise UserError(f"Du saknar behörighet att läsa {path}; be den som äger filen om läsrätt.") from None
    except OSError as exc:
        raise UserError(f"{path} går inte att läsa ({exc.strerror or type(exc).__name__}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        raise UserError(f"{path}, rad {line}, kolumn {column}: byte {raw[exc.start:exc.end].hex(' ').upper()} "
                        "är inte giltig UTF-8; spara filen som UTF-8 och försök igen.") from None
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise UserError(f"{path}: {toml_error_text(exc)}. Rätta filen och försök igen.") from None


# tomli's messages (English) and what they mean in Swedish, matched on a part of the message
_TOML_ERRORS = (
    (("overwrite a value", "twice", "Duplicate"), "samma nyckel står två gånger; ta bort den ena"),
    (("Expected '='",), "likhetstecknet saknas efter nyckeln; skriv nyckel = värde"),
    (("Unterminated string",), 'en text saknar sitt avslutande citattecken (")'),
    (("table declaration", "array declaration"),
     "en tabellrubrik saknar sin avslutande hakparentes; skriv till exempel [schema]"),
    (("Unclosed array", "after an array value"), "en lista saknar sin avslutande hakparentes (])"),
    (("Unclosed inline table", "inline table value"),
     "en tabell inom klamrar saknar sin avslutande klammer (})"),
    (("Expected newline",), "raden fortsätter efter värdet; skriv en inställning per rad"),
    (("Unescaped", "escape"),
     "ett omvänt snedstreck (\\) i en text; skriv två (\\\\) eller använd enkla citattecken"),
    (("date",), "ett datum eller en tid som inte finns; skriv ÅÅÅÅ-MM-DD"),
    (("Illegal character", "invalid character"), "ett tecken som inte får stå där"),
    (("Cannot mutate",), "en tabell som redan är given ändras här"),
    (("Invalid",), "ett värde som inte går att läsa; text ska stå inom citattecken"),
)


def toml_error_text(exc: Exception) -> str:
    """A TOML parse error in Swedish, with the line and column (tomli's own text is English)."""
    message = str(exc)
    what = next((swedish for parts, swedish in _TOML_ERRORS
                 if any(part in message for part in parts)), "filen följer inte formatet TOML")
    if "(at end of document)" in message:
        return f"felaktig TOML i slutet av filen: {what}"
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if line:
        return f"felaktig TOML på rad {line}, kolumn {column}: {what}"
    return f"felaktig TOML: {what}"


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_section(section: str) -> dict[str, Any]:
    """Standardvärdena för en del, med användarens värden ovanpå."""
    defaults_file = data_dir() / f"{section}.toml"
    settings = read_toml(defaults_file) if defaults_file.exists() else {}
    user_file = user_config_path()
    if user_file.exists():
        settings = deep_merge(settings, read_toml(user_file).get(section, {}))
    return settings
