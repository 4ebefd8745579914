"""Var programmet hittar sina datafiler och var användarens register ligger."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "bemanning"
DB_ENV = "BEMANNING_DB"
CONFIG_ENV = "BEMANNING_CONFIG"


def data_dir() -> Path:
    """Projektets `data/` (katalog, standardinställningar, demodata)."""
    override = os.environ.get("BEMANNING_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "data"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "register.sqlite"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def resolve_db(cli_value: str | None) -> str:
    """`--db` före miljövariabeln BEMANNING_DB före standardfilen i användarens datakatalog."""
    return cli_value or os.environ.get(DB_ENV) or str(default_db_path())
