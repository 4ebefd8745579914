"""En import som dödas (SIGKILL) mitt i transaktionen lämnar registret som före importen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date

from bemanning.io.importer import import_files
from bemanning.store import open_register

# Barnet importerar demodata; när händelserna är skrivna men innan transaktionen sparats (i
# importloggen, som skrivs i samma transaktion) säger det till och väntar på att dödas.
CHILD = textwrap.dedent("""
    import sys, time
    from datetime import date
    from bemanning.io.importer import import_files
    from bemanning.store import open_register
    from bemanning.store.register import Register

    def stall(self, connection, *args, **kwargs):
        print("MITT I TRANSAKTIONEN", flush=True)
        time.sleep(120)

    Register.log_import = stall
    reg = open_register(sys.argv[1])
    import_files(reg, sys.argv[2:], today=date(2026, 11, 23))
    print("KLAR", flush=True)
""")


def _snapshot(reg):
    return [(e.id, e.entitet, e.nyckel, e.typ, e.datum, e.data) for e in reg.events()], reg.imports()


def test_a_killed_import_leaves_the_register_as_before(db_url, demo_files, tmp_path):
    reg = open_register(db_url)
    import_files(reg, demo_files[:2], today=date(2026, 11, 22))  # områden och enheter finns redan
    before = _snapshot(reg)
    assert before[0]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, *map(str, demo_files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "MITT I TRANSAKTIONEN", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
    assert child.returncode == -signal.SIGKILL
    reg.close()
    again = open_register(db_url)
    assert _snapshot(again) == before
    # skrivlåset släpptes med processen: importen går att göra om, och då kommer allt med
    result = import_files(again, demo_files, today=date(2026, 11, 23))
    assert result.written and again.last_event_id() > before[0][-1][0]
    again.close()
