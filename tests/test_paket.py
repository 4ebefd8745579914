"""Det installerade paketet bär allt programmet läser: paketlistan i pyproject.toml följer
katalogerna, och varje fil under data/ följer med hjulet. (Själva installationen prövas av
scripts/wheel-smoke.sh, som `make test` kör.)"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _data_packages() -> set[str]:
    found = {"bemanning.data"}
    for folder in (ROOT / "data").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            found.add("bemanning.data." + ".".join(folder.relative_to(ROOT / "data").parts))
    return found


def test_package_list_matches_the_folders():
    code = {
        name for name in find_namespace_packages(where=str(ROOT), include=["bemanning*", "tui*"])
        if "__pycache__" not in name
    }
    assert set(_config()["packages"]) == code | _data_packages(), (
        "Lägg till (eller ta bort) paketet i [tool.setuptools] packages i pyproject.toml"
    )
    assert _config()["package-dir"] == {"bemanning.data": "data"}


def test_every_data_file_goes_into_the_wheel():
    patterns = _config()["package-data"]["*"]
    missing = [
        str(path.relative_to(ROOT)) for path in (ROOT / "data").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"
        and not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
    ]
    assert not missing, f"filer som inte följer med hjulet (lägg till mönstret i package-data): {missing}"


def test_data_is_found_through_the_package_not_the_checkout(monkeypatch):
    from bemanning import paths

    monkeypatch.delenv("BEMANNING_DATA", raising=False)
    assert (paths.data_dir() / "insatser.toml").is_file()
