"""Månadens regler: vilka beslut som rapporteras, med vilken orsak och hur många dagar."""

from datetime import date

from bemanning.model import HandelseTyp as T
from bemanning.model.tremanadersregeln import Regel
from bemanning.reports.ej_verkstallda import orsak, statistikrapport

from .conftest import lage

D = date.fromisoformat
KP = "LSS – kontaktperson"


def rows(lagen, per):
    return statistikrapport(lagen, D(per)).rader


def test_crossing_three_months_between_two_cutoffs():
    beslut = lambda per: [lage("B1", KP, "2023-09-15", per)]  # noqa: E731
    assert rows(beslut("2023-11-30"), "2023-11-30") == ()
    (rad,) = rows(beslut("2023-12-31"), "2023-12-31")
    assert (rad.datum, rad.antal_dagar, rad.orsak) == (D("2023-09-15"), 107, 2)
    # exakt på gränsen: 2023-12-15 minus tre månader är 2023-09-15
    assert len(rows(beslut("2023-12-15"), "2023-12-15")) == 1
    assert rows(beslut("2023-12-14"), "2023-12-14") == ()


def test_declined_offer_after_cutoff_is_not_counted():
    events = ((T.ERBJUDANDE, "2024-01-10", {"utfall": "tackat nej"}),)
    at_dec = lage("B1", KP, "2023-05-01", "2023-12-31", events=events)
    assert orsak(at_dec, D("2023-12-31")) == 2
    # även om läget vikts ihop senare räknas bara erbjudanden till och med rapportdatum
    at_jan = lage("B1", KP, "2023-05-01", "2024-01-31", events=events)
    assert orsak(at_jan, D("2023-12-31")) == 2
    assert orsak(at_jan, D("2024-01-31")) == 1
    assert statistikrapport([at_dec], D("2023-12-31")).sammanfattning.antal_tackat_nej == 0


def test_latest_offer_decides_and_explicit_code_wins():
    declined_then_accepted = (
        (T.ERBJUDANDE, "2023-10-01", {"utfall": "tackat nej"}),
        (T.ERBJUDANDE, "2023-11-01", {"utfall": "accepterat"}),
    )
    assert orsak(lage("B1", KP, "2023-05-01", "2023-12-31", events=declined_then_accepted), D("2023-12-31")) == 2
    accepted_then_declined = (
        (T.ERBJUDANDE, "2023-10-01", {"utfall": "accepterat"}),
        (T.ERBJUDANDE, "2023-11-01", {"utfall": "tackat nej"}),
    )
    assert orsak(lage("B1", KP, "2023-05-01", "2023-12-31", events=accepted_then_declined), D("2023-12-31")) == 1
    explicit = lage("B1", KP, "2023-05-01", "2023-12-31", orsak=3, events=accepted_then_declined)
    assert orsak(explicit, D("2023-12-31")) == 3


def test_verkstallt_leaves_the_report_from_its_date():
    events = ((T.VERKSTALLT, "2023-12-12"),)
    assert len(rows([lage("B1", KP, "2023-02-16", "2023-12-11", events=events)], "2023-12-11")) == 1
    assert rows([lage("B1", KP, "2023-02-16", "2023-12-12", events=events)], "2023-12-12") == ()
    # ett accepterat erbjudande är inte verkställt
    accepted = ((T.ERBJUDANDE, "2023-12-01", {"utfall": "accepterat"}),)
    assert len(rows([lage("B1", KP, "2023-02-16", "2023-12-31", events=accepted)], "2023-12-31")) == 1


def test_avslutat_leaves_the_report():
    events = ((T.AVSLUTAT, "2023-06-30", {"orsak": "ansökan återtagen"}),)
    assert len(rows([lage("B1", KP, "2022-12-12", "2023-06-29", events=events)], "2023-06-29")) == 1
    assert rows([lage("B1", KP, "2022-12-12", "2023-06-30", events=events)], "2023-06-30") == ()


def test_avbrott_not_resumed_within_three_months_is_reported_like_a_new_one():
    events = ((T.VERKSTALLT, "2023-03-01"), (T.AVBROTT, "2023-08-15"))
    # avbrottet är yngre än tre månader: inte med
    assert rows([lage("B1", KP, "2023-01-10", "2023-11-14", events=events)], "2023-11-14") == ()
    (rad,) = rows([lage("B1", KP, "2023-01-10", "2023-11-15", events=events)], "2023-11-15")
    assert rad.datum == D("2023-08-15") and rad.antal_dagar == 92 and rad.avbrott
    assert rad.beslutsdatum == D("2023-01-10")
    # återupptaget: lämnar rapporten från den dagen
    resumed = events + ((T.ATERUPPTAGET, "2023-12-01"),)
    assert len(rows([lage("B1", KP, "2023-01-10", "2023-11-30", events=resumed)], "2023-11-30")) == 1
    assert rows([lage("B1", KP, "2023-01-10", "2023-12-01", events=resumed)], "2023-12-01") == ()


def test_young_beslut_and_future_beslut_stay_out():
    assert rows([lage("B1", KP, "2023-10-01", "2023-12-31")], "2023-12-31") == ()


def test_tables_1_and_2_are_derived_from_the_rows_and_sorted_oldest_first():
    lagen = [
        lage("B3", "Äldreboende", "2023-03-01", "2023-12-31", kon="M"),
        lage("B1", KP, "2023-03-01", "2023-12-31", kon="K",
             events=((T.ERBJUDANDE, "2023-05-01", {"utfall": "tackat nej"}),)),
        lage("B2", KP, "2022-01-01", "2023-12-31", kon="K"),
    ]
    rapport = statistikrapport(lagen, D("2023-12-31"))
    assert [(r.beslut_om, r.datum.isoformat()) for r in rapport.rader] == [
        (KP, "2022-01-01"),
        (KP, "2023-03-01"),
        ("Äldreboende", "2023-03-01"),
    ]
    s = rapport.sammanfattning
    assert (s.antal_beslut, s.varav_kvinnor, s.varav_man, s.antal_tackat_nej) == (3, 2, 1, 1)
    assert rapport.per_insats == [(KP, 2), ("Äldreboende", 1)]


def test_days_variant_is_used_by_the_report():
    lagen = [lage("B1", KP, "2023-10-01", "2023-12-31")]  # 91 dagar, inom tre månader
    assert statistikrapport(lagen, D("2023-12-31")).rader == ()
    assert len(statistikrapport(lagen, D("2023-12-31"), Regel("dagar", dagar=90)).rader) == 1


def test_kon_correction_after_cutoff_leaves_the_earlier_report_unchanged(register_factory, tmp_path):
    from bemanning.io.importer import import_files

    from .conftest import BESLUT_HEADER, write_csv

    row = "B1;P1;{kon};LSS – kontaktperson;2023-05-01;;;;"
    reg = register_factory([row.format(kon="K")])
    before = statistikrapport(reg.beslut_lagen(D("2023-12-31")), D("2023-12-31")).to_json()
    assert before["sammanfattning"]["varav_kvinnor"] == 1
    fixed = write_csv(tmp_path / "rattad.csv", BESLUT_HEADER, [row.format(kon="M")])
    import_files(reg, [fixed], confirm=True, today=D("2024-01-10"))
    assert statistikrapport(reg.beslut_lagen(D("2023-12-31")), D("2023-12-31")).to_json() == before
    after = statistikrapport(reg.beslut_lagen(D("2024-01-31")), D("2024-01-31")).to_json()
    assert after["sammanfattning"]["varav_man"] == 1
    assert after["detalj"][0]["kon"] == "M"
