"""Två som sparar samma beslut samtidigt: den ena går igenom, den andra får en konflikt, inget går förlorat."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from bemanning.errors import ConflictError
from bemanning.io.importer import import_files
from bemanning.model import Entitet, Handelse, HandelseTyp
from bemanning.store import open_register

BESLUT = "DEMO-0032"


def _offer(kandidat: str) -> Handelse:
    return Handelse(Entitet.BESLUT, BESLUT, HandelseTyp.ERBJUDANDE, date(2026, 11, 24),
                    {"utfall": "tackat nej", "kandidat": kandidat}, "test")


def test_two_writers_on_the_same_beslut_one_wins_the_other_gets_a_conflict(db_url, demo_files):
    seed = open_register(db_url, user="admin")
    import_files(seed, demo_files, today=date(2026, 11, 23))
    seed.close()
    anna, bertil = open_register(db_url, user="anna"), open_register(db_url, user="bertil")
    # båda öppnar beslutet och ser samma version
    seen = anna.version(Entitet.BESLUT, BESLUT)
    assert seen == bertil.version(Entitet.BESLUT, BESLUT) > 0
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def save(reg, kandidat):
        barrier.wait()
        try:
            reg.append([_offer(kandidat)], expected_version={(Entitet.BESLUT, BESLUT): seen})
            outcome[kandidat] = "sparat"
        except ConflictError as exc:
            outcome[kandidat] = exc

    threads = [threading.Thread(target=save, args=(anna, "U0001")),
               threading.Thread(target=save, args=(bertil, "U0002"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(str(v) == "sparat" for v in outcome.values()) == [False, True]
    loser = next(k for k, v in outcome.items() if v != "sparat")
    error = outcome[loser]
    assert isinstance(error, ConflictError)
    assert "ändrades av någon annan medan du arbetade" in error.message
    assert "dina uppgifter finns kvar, försök igen" in error.message
    # den som förlorade läser in det nya läget och försöker igen: båda erbjudandena finns
    loser_reg = anna if loser == "U0001" else bertil
    fresh = loser_reg.version(Entitet.BESLUT, BESLUT)
    assert fresh > seen
    loser_reg.append([_offer(loser)], expected_version={(Entitet.BESLUT, BESLUT): fresh})
    history = anna.history(Entitet.BESLUT, BESLUT)
    offers = [e.data["kandidat"] for e in history if e.typ is HandelseTyp.ERBJUDANDE and e.datum == date(2026, 11, 24)]
    assert sorted(offers) == ["U0001", "U0002"]
    ids = [e.id for e in history]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    anna.close()
    bertil.close()


def test_a_new_beslut_expected_absent_cannot_be_created_twice(reg):
    event = Handelse(Entitet.OMRADE, "X", HandelseTyp.REGISTRERAD, date(2026, 1, 1), {"omrade_id": "X", "namn": "X"}, "t")
    reg.append([event], expected_version={(Entitet.OMRADE, "X"): 0})
    with pytest.raises(ConflictError):
        reg.append([event], expected_version={(Entitet.OMRADE, "X"): 0})
    assert len(reg.history(Entitet.OMRADE, "X")) == 1


def test_a_conflict_saves_nothing_of_the_batch(reg, demo_files):
    import_files(reg, demo_files, today=date(2026, 11, 23))
    before = reg.last_event_id()
    stale = reg.version(Entitet.BESLUT, BESLUT) - 1
    with pytest.raises(ConflictError):
        reg.append([_offer("U0001"), _offer("U0002")], expected_version={(Entitet.BESLUT, BESLUT): stale})
    assert reg.last_event_id() == before
