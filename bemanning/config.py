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
    try:
        with open(path, "rb") as handle:
            return tomli.load(handle)
    except FileNotFoundError:
        raise UserError(f"Filen {path} finns inte.") from None
    except tomli.TOMLDecodeError as exc:
        raise UserError(f"{path}: felaktig TOML ({exc}). Rätta filen och försök igen.") from None


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
