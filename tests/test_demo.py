"""Demodatan: en fiktiv kommun i den storlek issue 2 beskriver, utan personnummer."""

from datetime import date, timedelta

from bemanning.demo import DEMO_REFERENCE, load_demo, shift_dates
from bemanning.model import personnummer
from bemanning.store import open_register


def test_demo_register_has_the_promised_shape(tmp_path):
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    lagen = reg.beslut_lagen(DEMO_REFERENCE)
    assert 60 <= len(lagen) <= 80
    assert len({o.omrade_id for o in reg.omraden()}) == 2
    assert 6 <= len(reg.enheter()) <= 8
    assert 100 <= len(reg.personal()) <= 140
    assert len(reg.uppdragstagare()) == 40
    old_open = [x for x in lagen if x.is_open and x.waiting_days() > 92]
    assert len(old_open) >= len(lagen) // 3
    kontaktperson = [x for x in lagen if x.beslut.insats.endswith("kontaktperson")]
    assert len(kontaktperson) >= len(lagen) // 2
    assert not any(personnummer.looks_like_personnummer(x.beslut.person_id) for x in lagen)


def test_demo_dates_follow_today(tmp_path):
    later = DEMO_REFERENCE + timedelta(days=100)
    assert shift_dates("B;2026-01-31;x", 100) == "B;2026-05-11;x"
    db = tmp_path / "demo.sqlite"
    load_demo(db, today=later)
    reg = open_register(db)
    first = reg.beslut_lagen(later)[0]
    assert first.beslut.beslutsdatum > date(2025, 5, 1) + timedelta(days=90)
