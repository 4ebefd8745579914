"""Två importer av samma fil med 5 000 beslut samtidigt: händelserna är exakt en imports.

Jämförelsen med registret sker inne i skrivtransaktionen (under skrivlåset), så den andra
importen ser den förstas händelser, sparar ingenting och säger det. Körs på SQLite och PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

from bemanning.io.importer import import_files
from bemanning.model import Entitet, HandelseTyp
from bemanning.store import open_register

ANTAL = 5000


def _file(tmp_path):
    path = tmp_path / "beslut-5000.csv"
    start = date(2023, 1, 1)
    rows = [
        f"C{i:05d};PC{i:05d};{'KM'[i % 2]};{'LSS – kontaktperson' if i % 3 else 'SoL – kontaktperson'};"
        f"{(start + timedelta(days=i % 365)).isoformat()}"
        for i in range(ANTAL)
    ]
    path.write_text("beslut_id;person_id;kon;insats;beslutsdatum\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_two_concurrent_imports_of_the_same_file_store_it_once(db_url, tmp_path):
    path = _file(tmp_path)
    open_register(db_url, user="admin").close()  # schemat finns innan båda börjar
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(name: str) -> None:
        reg = open_register(db_url, user=name)
        try:
            barrier.wait()
            results[name] = import_files(reg, [path], today=date(2024, 1, 3))
        except Exception as exc:  # noqa: BLE001 - ett fel ska synas i påståendet nedan
            results[name] = exc
        finally:
            reg.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("anna", "bertil")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads)
    assert all(not isinstance(r, Exception) for r in results.values()), results
    written = [r for r in results.values() if r.written]
    skipped = [r for r in results.values() if not r.written]
    assert len(written) == 1 and len(skipped) == 1
    assert written[0].new["beslut"] == ANTAL
    assert skipped[0].nothing_new and skipped[0].events == []
    assert skipped[0].unchanged["beslut"] == ANTAL
    assert "Inget nytt: allt i filerna finns redan i registret, så inget sparades." in skipped[0].summary_lines()
    reg = open_register(db_url)
    try:
        events = reg.events()
        assert len(events) == len(written[0].events) == 2 * ANTAL
        per_beslut = Counter(e.nyckel for e in events if e.entitet is Entitet.BESLUT and e.typ is HandelseTyp.REGISTRERAD)
        assert len(per_beslut) == ANTAL and set(per_beslut.values()) == {1}
        assert len(reg.imports()) == 1
    finally:
        reg.close()
