"""Ctrl+C under en schemaläggning på kommandoraden: lösaren stannar inom en sekund eller två,
programmet säger det på svenska och avslutar med 130 (förut körde det hela tidsgränsen)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.mark.skipif(os.name != "posix", reason="SIGINT som i en terminal")
def test_ctrl_c_stops_a_solve_within_seconds(tmp_path):
    command = [sys.executable, "-m", "bemanning", "schema", "--personal", str(DEMO / "personal.csv"),
               "--enheter", str(DEMO / "enheter.csv"), "--omrade", "norr", "--veckor", "6",
               "--tidsgrans", "120"]
    env = {**os.environ, "BEMANNING_DB": str(tmp_path / "r.sqlite")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(6)  # modellen byggs och sökningen har börjat
    assert process.poll() is None, process.communicate()
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    waited = time.monotonic() - sent
    assert process.returncode == 130, err
    assert "Avbrutet med Ctrl+C" in err and "Traceback" not in err
    assert waited < 15, f"stannade först efter {waited:.1f} s"
