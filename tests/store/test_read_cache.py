"""Registrets läscache: begränsad, och ingen läsare kan ändra vad nästa läsare får."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bemanning.io.importer import import_files
from bemanning.store import open_register
from bemanning.store.register import _ReadCache


@pytest.fixture
def ludvika_like_register(ludvika, tmp_path):
    register = open_register(tmp_path / "r.sqlite")
    import_files(register, ludvika, today=date(2024, 1, 3))
    yield register
    register.close()


def test_the_cache_keeps_only_the_latest_answers(ludvika_like_register):
    reg = ludvika_like_register
    start = date(2023, 1, 31)
    for offset in range(40):
        reg.beslut_lagen(start + timedelta(days=offset))
    assert len(reg._cache) <= reg._cache.size


def test_a_caller_that_changes_its_answer_does_not_change_the_next_answer(ludvika_like_register):
    reg = ludvika_like_register
    per = date(2023, 12, 31)
    first = reg.beslut_lagen(per)
    count = len(first)
    assert count > 0
    first.clear()
    assert len(reg.beslut_lagen(per)) == count
    second = reg.beslut_lagen(per)
    second.pop()
    assert len(reg.beslut_lagen(per)) == count


def test_grouped_events_cannot_be_changed(ludvika_like_register):
    from bemanning.model.handelse import Entitet

    groups = ludvika_like_register._grouped(Entitet.BESLUT, None)
    with pytest.raises(TypeError):
        groups["X"] = ()  # type: ignore[index]
    some = next(iter(groups.values()))
    assert isinstance(some, tuple)


def test_an_answer_is_stale_once_a_new_event_is_written():
    cache = _ReadCache(size=2)
    cache.put("a", 5, "svar")
    assert cache.get("a", 5) == "svar"
    assert cache.get("a", 6) is None
    cache.put("b", 5, 1)
    cache.put("c", 5, 2)
    assert cache.get("a", 5) is None and cache.get("c", 5) == 2
