"""Loggningens antal för en stor skrivning räknas i C (`_raw_counts`): samma poster och antal som
räkningen händelse för händelse, också för enskilda (loggade med beslutet, aldrig person-id:t)."""

from __future__ import annotations

import random
from datetime import date

from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.store.register import _log_keys, _raw_counts, _raw_counts_in_order


def test_counting_in_c_gives_the_same_keys_and_counts_as_event_by_event() -> None:
    rng = random.Random(5)
    events = []
    for i in range(3000):
        kind = rng.choice([Entitet.BESLUT, Entitet.ENSKILD, Entitet.PERSONAL, Entitet.BESLUT])
        key = f"K{rng.randrange(400)}" if kind is not Entitet.ENSKILD else rng.choice(["19121212-1212", "P1", "P2"])
        data = {"beslut_id": rng.choice([None, "B1", 7, "198001011234"])} if kind is Entitet.ENSKILD else {}
        events.append(Handelse(kind, key, HandelseTyp.ANDRAD, date(2024, 1, 1 + i % 28), data, "test"))
    fast, in_order = _log_keys(_raw_counts(events)), _log_keys(_raw_counts_in_order(events))
    assert dict(fast) == dict(in_order)
    assert len(in_order) > 100 and sum(in_order.values()) == len(events)
    assert (None, "enskild", None) in in_order and not any("19121212" in str(k) for k in in_order)
