"""Listan över beslut (skärmen Beslut) läses sida för sida ur databasen med nyckelmängd: sidorna
framåt och bakåt ger samma ordning som hela urvalet, för varje kolumn och riktning, och ett
urval räknas i databasen."""

from __future__ import annotations

import pytest

from bemanning.demo import DEMO_REFERENCE, load_demo
from bemanning.store import open_register
from bemanning.store.projection import BeslutUrval
from bemanning.store.testing import pg_test_url, scratch_schema

FIELDS = ("beslut_id", "insats", "beslutsdatum", "dagar", "status", "kon", "enhet", "erbjudanden")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory):
    """Demoregistret, på SQLite och på PostgreSQL (hoppas över utan server)."""
    if request.param == "sqlite":
        db = tmp_path_factory.mktemp("lista") / "demo.sqlite"
        load_demo(db, today=DEMO_REFERENCE)
        reg = open_register(db)
        yield reg
        reg.close()
        return
    url, reason = pg_test_url()
    if url is None:
        pytest.skip(reason)
    with scratch_schema(url) as schema_url:
        load_demo(schema_url, today=DEMO_REFERENCE)
        reg = open_register(schema_url)
        yield reg
        reg.close()


def _walk(reg, urval: BeslutUrval, size: int) -> list[list[str]]:
    pages = []
    after = None
    while True:
        rows = reg.beslut_list_page(urval, size, after=after)
        if not rows:
            return pages
        pages.append([r.beslut_id for r in rows])
        after = (rows[-1].sortvarde, rows[-1].beslut_id)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("fallande", [False, True])
def test_pages_forward_and_back_follow_the_whole_order(demo, field, fallande):
    urval = BeslutUrval(per=DEMO_REFERENCE, status="alla", sortering=field, fallande=fallande)
    whole = [r.beslut_id for r in demo.beslut_list_page(urval, 10_000)]
    assert len(whole) == demo.beslut_list_count(urval) == 70
    pages = _walk(demo, urval, 9)
    assert [b for page in pages for b in page] == whole
    # bakåt från sista sidan ger samma sidor
    for page, previous in zip(pages[1:], pages[:-1], strict=True):
        first = demo.beslut_list_key(urval, page[0])
        assert [r.beslut_id for r in demo.beslut_list_page(urval, 9, before=first)] == previous
        assert demo.beslut_list_position(urval, first) == whole.index(page[0])


def test_the_order_is_the_one_the_column_says(demo):
    by_days = demo.beslut_list_page(BeslutUrval(per=DEMO_REFERENCE, sortering="dagar", fallande=True), 100)
    days = [(DEMO_REFERENCE - r.vantar_sedan).days for r in by_days]
    assert days == sorted(days, reverse=True) and len(days) == 50  # öppna: flest dagar först
    by_date = demo.beslut_list_page(BeslutUrval(per=DEMO_REFERENCE, status="alla"), 100)
    assert [r.beslutsdatum for r in by_date] == sorted(r.beslutsdatum for r in by_date)


def test_filters_and_search_are_answered_by_the_database(demo):
    base = BeslutUrval(per=DEMO_REFERENCE)
    assert demo.beslut_list_count(base) == 50
    found = demo.beslut_list_page(BeslutUrval(per=DEMO_REFERENCE, sok="demo-0032"), 10)
    assert [r.beslut_id for r in found] == ["DEMO-0032"]
    kp = BeslutUrval(per=DEMO_REFERENCE, insats="SoL – kontaktperson")
    assert {r.insats for r in demo.beslut_list_page(kp, 100)} == {"SoL – kontaktperson"}
    none = BeslutUrval(per=DEMO_REFERENCE, enheter=())
    assert demo.beslut_list_count(none) == 0  # en roll utan enheter ser inga beslut


@pytest.mark.parametrize("sok", ["norr", "NORR", "lss soder", "kontakt söder", "demo-00", "soder",
                                 "demo-001 kontaktperson", "x_y%", "sol –"])
def test_search_finds_the_same_as_the_text_of_each_row(demo, sok):
    """Sökningen prövar id, insats, enhet och (för beslut utan enhet) den enskildes område var för
    sig: samma träffar som texten "id insats enhet" som listan visar, för varje status."""
    for status in ("oppna", "alla"):
        every = demo.beslut_list_page(BeslutUrval(per=DEMO_REFERENCE, status=status), 10_000)
        expected = [r.beslut_id for r in every
                    if all(w in f"{r.beslut_id} {r.insats} {r.enhet_visad}".lower() for w in sok.lower().split())]
        urval = BeslutUrval(per=DEMO_REFERENCE, status=status, sok=sok)
        assert [r.beslut_id for r in demo.beslut_list_page(urval, 10_000)] == expected
        assert demo.beslut_list_count(urval) == len(expected)
    if sok in ("norr", "lss soder"):
        assert expected  # området (demobesluten saknar enhet) träffar
