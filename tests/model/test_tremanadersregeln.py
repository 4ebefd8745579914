from datetime import date

import pytest

from bemanning.errors import UserError
from bemanning.model.tremanadersregeln import Regel, add_months, antal_dagar

D = date.fromisoformat


@pytest.mark.parametrize(
    ("rapportdatum", "grans"),
    [
        ("2023-11-30", "2023-08-30"),
        ("2024-05-31", "2024-02-29"),
        ("2023-05-31", "2023-02-28"),
        ("2023-12-31", "2023-09-30"),
        ("2024-03-31", "2023-12-31"),
        ("2024-01-15", "2023-10-15"),
        ("2023-03-01", "2022-12-01"),
    ],
)
def test_three_calendar_months_back_clamped_to_month_end(rapportdatum, grans):
    regel = Regel()
    assert regel.senaste_startdatum(D(rapportdatum)) == D(grans)
    assert regel.ska_rapporteras(D(grans), D(rapportdatum))
    assert not regel.ska_rapporteras(date.fromordinal(D(grans).toordinal() + 1), D(rapportdatum))


def test_add_months_forward_and_back():
    assert add_months(D("2024-01-31"), 1) == D("2024-02-29")
    assert add_months(D("2023-12-15"), 3) == D("2024-03-15")
    assert add_months(D("2024-01-10"), -3) == D("2023-10-10")


def test_seed_day_counts_have_no_plus_one():
    assert antal_dagar(D("2022-09-19"), D("2023-11-30")) == 437
    assert antal_dagar(D("2022-09-19"), D("2023-12-31")) == 468


def test_first_reporting_day_is_the_first_day_the_rule_holds():
    regel = Regel()
    # 2023-08-31: tre månader senare finns ingen 31 november; första dagen är 1 december.
    assert regel.forsta_rapportdag(D("2023-08-31")) == D("2023-12-01")
    assert regel.forsta_rapportdag(D("2023-08-30")) == D("2023-11-30")
    assert regel.forsta_rapportdag(D("2023-11-30")) == D("2024-03-01")
    assert regel.forsta_rapportdag(D("2023-09-28")) == D("2023-12-28")
    assert regel.dagar_over(D("2023-09-28"), D("2023-12-31")) == 4
    assert regel.dagar_over(D("2023-09-28"), D("2023-12-27")) == 0


def test_days_variant_counts_more_than_n_days():
    regel = Regel(variant="dagar", dagar=90)
    r = D("2023-12-31")
    assert regel.ska_rapporteras(D("2023-10-01"), r)  # 91 dagar
    assert not regel.ska_rapporteras(D("2023-10-02"), r)  # 90 dagar
    assert regel.forsta_rapportdag(D("2023-10-01")) == D("2023-12-31")
    assert regel.dagar_over(D("2023-10-01"), r) == 1
    assert regel.beskrivning() == "mer än 90 dagar"


def test_config_and_bad_variant():
    assert Regel.from_config({"variant": "dagar", "dagar": "100"}) == Regel("dagar", 3, 100)
    with pytest.raises(UserError, match="manader"):
        Regel(variant="veckor")


def test_first_reporting_day_agrees_with_the_rule_for_every_day_of_two_years():
    from datetime import timedelta

    regel = Regel()
    day = D("2023-01-01")
    while day < D("2025-01-01"):
        first = regel.forsta_rapportdag(day)
        assert regel.ska_rapporteras(day, first)
        assert not regel.ska_rapporteras(day, first - timedelta(days=1))
        day += timedelta(days=1)
