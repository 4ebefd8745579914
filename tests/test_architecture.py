"""Kärnan går att använda utan gränssnittet: `import bemanning` laddar varken textual eller rich."""

import pkgutil
import subprocess
import sys

import bemanning


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return {name.split(".")[0] for name in out}


def test_import_bemanning_loads_neither_textual_nor_rich():
    loaded = _loaded_after("import bemanning, bemanning.cli")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_no_core_module_loads_textual_or_rich():
    names = [m.name for m in pkgutil.walk_packages(bemanning.__path__, "bemanning.")
             if ".migrations" not in m.name and not m.name.endswith("__main__")]
    code = "import importlib\n" + "\n".join(f"importlib.import_module({n!r})" for n in names)
    loaded = _loaded_after(code)
    assert "textual" not in loaded, "en modul i bemanning/ importerar textual"
    assert "rich" not in loaded, "en modul i bemanning/ importerar rich"
    assert "tui" not in loaded
