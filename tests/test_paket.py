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


def test_every_library_the_program_imports_is_a_dependency_of_the_installed_package():
    """Varje bibliotek som bemanning/ och tui/ läser in står bland paketets beroenden (psycopg i
    tillägget postgresql). scipy stod bara bland provens beroenden, så schemat föll i en installation
    från hjulet när delmodellerna började användas på demoschemat."""
    import ast
    import re
    import sys
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}

    allowed = names(project["dependencies"]) | names(project["optional-dependencies"]["postgresql"])
    distributions = packages_distributions()
    missing: dict[str, str] = {}
    for path in [*(ROOT / "bemanning").rglob("*.py"), *(ROOT / "tui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in ("bemanning", "tui", "alembic_env"):
                    continue
                dists = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not dists & allowed:
                    missing[top] = str(path.relative_to(ROOT))
    assert not missing, f"Bibliotek som används men inte står bland beroendena i pyproject.toml: {missing}"
