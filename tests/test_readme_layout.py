"""README:s avsnitt om kodens delar följer katalogerna: varje del som finns står där, och inget
står där som inte finns."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("    bemanning/\n")
    end = text.index("\n\n", start)
    return text[start:end]


def _listed(block: str, indent: str) -> set[str]:
    return set(re.findall(rf"^{indent}(\S+?/?)\s", block + "\n", flags=re.MULTILINE))


def test_every_part_of_the_core_is_in_the_readme_and_nothing_else():
    listed = _listed(_layout_block(), "      ")
    packages = {p.name + "/" for p in (ROOT / "bemanning").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= listed, f"saknas i README: {sorted(packages - listed)}"
    for name in listed:
        assert (ROOT / "bemanning" / name).exists() or (ROOT / "tui" / name).exists(), (
            f"README nämner {name}, som inte finns")


def test_every_top_level_folder_is_in_the_readme():
    listed = _listed(_layout_block(), "    ")
    folders = {p.name + "/" for p in ROOT.iterdir()
               if p.is_dir() and not p.name.startswith(".") and p.name not in {"build"}
               and not p.name.endswith(".egg-info") and p.name != "__pycache__"}
    assert folders <= listed, f"saknas i README: {sorted(folders - listed)}"
    for name in listed:
        assert (ROOT / name).exists(), f"README nämner {name}, som inte finns"
