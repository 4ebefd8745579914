"""Särskild avgift som lagen har den: ram efter beslutets datum, två års preskription och
undantaget när den enskilde själv begärt senareläggning (34 kap. 5–7 och 10 §§ SoL (2025:400))."""

from __future__ import annotations

from datetime import date

from bemanning.model import HandelseTyp as T
from bemanning.reports.format import markdown
from bemanning.reports.installningar import load_installningar
from bemanning.reports.sarskild_avgift import avgift_dokument, avgiftsrisk, sista_ansokningsdag

from .conftest import lage

KP = "SoL – kontaktperson"


def one(lagen, day: str):
    risk = avgiftsrisk(lagen, date.fromisoformat(day))
    assert len(risk.rader) == 1
    return risk.rader[0]


def test_range_follows_the_beslut_date_2025_12_31_old_2026_01_01_new():
    per = "2026-06-30"
    old = one([lage("G", KP, "2025-12-31", per)], per)
    new = one([lage("N", KP, "2026-01-01", per)], per)
    assert (old.ram.min_kr, old.ram.max_kr, old.ram.ram) == (10_000, 1_000_000, "10 000–1 000 000 kr")
    assert (new.ram.min_kr, new.ram.max_kr, new.ram.ram) == (15_000, 1_500_000, "15 000–1 500 000 kr")


def test_preskription_day_before_on_the_day_and_after_two_years():
    lagen_for = lambda per: [lage("P", KP, "2024-03-15", per)]  # noqa: E731
    assert sista_ansokningsdag(date(2024, 3, 15)) == date(2026, 3, 15)
    day_before = one(lagen_for("2026-03-14"), "2026-03-14")
    on_the_day = one(lagen_for("2026-03-15"), "2026-03-15")
    day_after = one(lagen_for("2026-03-16"), "2026-03-16")
    assert not day_before.preskriberad and day_before.kan_ge_avgift
    # tiden löper ut den dag som motsvarar beslutsdagen: ansökan kan komma in den dagen
    assert not on_the_day.preskriberad and on_the_day.kan_ge_avgift
    assert day_after.preskriberad and not day_after.kan_ge_avgift
    assert day_after.preskription_fran == "beslutet"
    assert "Preskriberad" in day_after.status() and "2026-03-15" in day_after.status()
    # skottdag: två år efter 2024-02-29 är 2026-02-28
    assert sista_ansokningsdag(date(2024, 2, 29)) == date(2026, 2, 28)


def test_preskription_after_an_avbrott_counts_from_the_avbrott():
    per = "2026-05-01"
    lagen = [lage("A", KP, "2020-01-10", per, events=((T.VERKSTALLT, "2020-02-01"), (T.AVBROTT, "2025-01-10")))]
    row = one(lagen, per)
    assert row.preskription_fran == "avbrottet"
    assert row.sista_ansokan == date(2027, 1, 10) and not row.preskriberad


def test_postponement_asked_for_by_the_enskilde_exempts_while_it_lasts():
    per = "2026-04-30"
    events = ((T.SENARELAGGNING, "2026-02-01", {"till": "2026-05-31"}),)
    exempt = one([lage("S", KP, "2025-10-01", per, events=events)], per)
    assert exempt.undantagen and not exempt.kan_ge_avgift
    assert "34 kap. 6 §" in exempt.status() and "2026-05-31" in exempt.status()
    # efter den begärda dagen gäller undantaget inte längre
    later = "2026-06-01"
    after = one([lage("S", KP, "2025-10-01", later, events=events)], later)
    assert not after.undantagen and after.kan_ge_avgift
    # utan begäran: ingen undantag
    plain = one([lage("S", KP, "2025-10-01", per)], per)
    assert not plain.undantagen


def test_postponement_before_2025_07_01_is_not_an_exemption():
    per = "2025-06-30"
    events = ((T.SENARELAGGNING, "2025-04-01"),)
    row = one([lage("S", KP, "2025-01-02", per, events=events)], per)
    assert not row.undantagen


def test_document_speaks_of_skalig_tid_and_names_its_paragraphs():
    per = "2026-04-30"
    risk = avgiftsrisk([lage("G", KP, "2025-12-31", per), lage("N", KP, "2026-01-01", per)], date(2026, 4, 30))
    text = markdown(avgift_dokument(risk, load_installningar()))
    assert "skälig tid" in text and "34 kap. 5 § SoL (2025:400)" in text
    assert "10 000–1 000 000 kr" in text and "15 000–1 500 000 kr" in text
    assert "tremånadersfristen" not in text
    assert "*Lagrum: 34 kap. 5 § SoL (2025:400), 28 a § LSS, gäller från 2025-07-01;" in text
