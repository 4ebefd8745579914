"""Var programmet hittar sina datafiler och var användarens register ligger."""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "bemanning"
DB_ENV = "BEMANNING_DB"
CONFIG_ENV = "BEMANNING_CONFIG"


def data_dir() -> Path:
    """Filerna som följer med programmet (katalog, standardinställningar, mallar, demodata).

    I förrådet är det `data/` överst; i ett installerat hjul paketet `bemanning.data`. Båda nås
    genom importlib.resources, så programmet hittar dem var det än är installerat.
    """
    override = os.environ.get("BEMANNING_DATA")
    if override:
        return Path(override)
    root = importlib.resources.files("bemanning.data")
    if not isinstance(root, Path):  # t.ex. ett paket i en zipfil: filerna måste ligga på disk
        raise RuntimeError("bemanning måste installeras som vanliga filer, inte i en zipfil")
    return root


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "register.sqlite"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def resolve_db(cli_value: str | None) -> str:
    """`--db` före miljövariabeln BEMANNING_DB före standardfilen i användarens datakatalog."""
    return cli_value or os.environ.get(DB_ENV) or str(default_db_path())
