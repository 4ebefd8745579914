"""Kort lasttest (bench/postgres_load.py): samtidiga klienter, inga förlorade eller dubblerade händelser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "postgres_load.py"


def test_concurrent_clients_lose_and_duplicate_nothing(pg_url):
    try:
        out = subprocess.run(
            [sys.executable, str(SCRIPT), "--url", pg_url, "--klienter", "6", "--sekunder", "2", "--json"],
            capture_output=True, text=True, timeout=240,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("lasttestet tog mer än 240 s")
    assert out.returncode == 0, out.stdout + out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["skrivningar"] > 0 and result["läsningar"] > 0
    assert (result["förlorade"], result["dubblerade"], result["okvitterade"], result["fel"]) == (0, 0, 0, [])
