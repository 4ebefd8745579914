"""Jämförelse mellan två datum, risk för särskild avgift och återföringsfilen."""

from __future__ import annotations

import csv
import io
from datetime import date

from bemanning.model import HandelseTyp as T
from bemanning.reports.aterforing import KANONISKA, KOLUMNER, aterforing_csv
from bemanning.reports.jamforelse import KVARSTAR, LAMNAT, NYTT, jamforelse
from bemanning.reports.sarskild_avgift import avgiftsrisk, dagar_over_per_beslut

from .conftest import lage

KP = "LSS – kontaktperson"
FRAN, TILL = date(2023, 11, 30), date(2023, 12, 31)


def both(*args, **kwargs):
    return (lage(*args, per=FRAN.isoformat(), **kwargs), lage(*args, per=TILL.isoformat(), **kwargs))


def test_jamforelse_persisted_crossed_and_left_with_reason():
    pairs = [
        both("KVAR", KP, "2023-01-10"),
        both("NY", KP, "2023-09-15"),
        both("VERK", KP, "2023-02-16", events=((T.VERKSTALLT, "2023-12-12"),)),
        both("AVSL", KP, "2023-02-16", events=((T.AVSLUTAT, "2023-12-05", {"orsak": "behovet upphört"}),)),
    ]
    result = jamforelse([a for a, _ in pairs], [b for _, b in pairs], FRAN, TILL)
    got = {r.rad.beslut_id: r for r in result.rader}
    assert got["KVAR"].lage == KVARSTAR and (got["KVAR"].dagar_fran, got["KVAR"].dagar_till) == (324, 355)
    assert got["NY"].lage == NYTT and got["NY"].datum == date(2023, 12, 15)
    assert got["VERK"].lage == LAMNAT and got["VERK"].forklaring == "verkställt 2023-12-12"
    assert got["AVSL"].forklaring == "avslutat 2023-12-05 (behovet upphört)"
    assert (result.antal_fran, result.antal_till) == (3, 2)
    assert [r.lage for r in result.rader] == [LAMNAT, LAMNAT, NYTT, KVARSTAR]


def test_fixture_between_november_and_december(ludvika):
    result = jamforelse(ludvika.beslut_lagen(FRAN), ludvika.beslut_lagen(TILL), FRAN, TILL)
    assert (result.antal_fran, result.antal(KVARSTAR), result.antal(NYTT), result.antal(LAMNAT), result.antal_till) == (
        21, 18, 5, 3, 23)
    left = {r.rad.beslut_id: r.forklaring for r in result.rader if r.lage == LAMNAT}
    assert left == {"VON23-024": "verkställt 2023-12-12", "VON23-025": "verkställt 2023-12-04",
                    "VON23-026": "verkställt 2023-12-18"}


def test_avgift_days_past_three_months_summed_per_insats_oldest_first():
    per = "2023-12-31"
    lagen = [
        lage("A", "Äldreboende", "2023-09-28", per),  # frist 2023-12-27: 4 dagar över
        lage("B", KP, "2023-01-13", per),  # frist 2023-04-12: 263
        lage("C", KP, "2023-09-30", per),  # första rapportdag 2023-12-30, frist 2023-12-29 -> 2
        lage("D", KP, "2023-10-15", per),  # inom tre månader
    ]
    risk = avgiftsrisk(lagen, date(2023, 12, 31))
    assert [r.rad.beslut_id for r in risk.rader] == ["B", "A", "C"]
    assert dagar_over_per_beslut(lagen, date(2023, 12, 31)) == {"B": 263, "A": 4, "C": 2}
    sums = risk.per_insats
    assert [(s.insats, s.antal, s.summa_dagar, s.flest_dagar) for s in sums] == [
        (KP, 2, 265, 263), ("Äldreboende", 1, 4, 4)]


def test_aterforing_is_canonical_plus_facts_and_reimports(register_factory, tmp_path):
    from bemanning.io.importer import import_files

    reg = register_factory(
        ["W1;P1;K;LSS – kontaktperson;2023-05-01;;;;", "W2;P2;M;Äldreboende;2023-02-01;2023-12-20;;;",
         "W3;P3;K;SoL – kontaktperson;2023-11-01;;;;3"],
        ["W1;2023-09-01;tackat nej;"],
    )
    day = date(2024, 1, 3)
    data = aterforing_csv(reg.beslut_lagen(day), day)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == KOLUMNER and KOLUMNER[: len(KANONISKA)] == KANONISKA
    by_id = {r["beslut_id"]: r for r in rows}
    assert by_id["W1"]["aktuell_orsak"] == "1" and by_id["W1"]["orsak"] == ""
    assert by_id["W1"]["antal_dagar"] == "247" and by_id["W1"]["over_tre_manader"] == "ja"
    assert (by_id["W1"]["senaste_erbjudande_datum"], by_id["W1"]["senaste_erbjudande_utfall"]) == (
        "2023-09-01", "tackat nej")
    assert by_id["W2"]["status"] == "verkställt" and by_id["W2"]["verkstalld_datum"] == "2023-12-20"
    assert by_id["W2"]["antal_dagar"] == ""
    assert by_id["W3"]["orsak"] == "3" and by_id["W3"]["over_tre_manader"] == "nej"
    # filen går att läsa in igen utan att registret ändras
    path = tmp_path / "aterforing.csv"
    path.write_bytes(data)
    result = import_files(reg, [path], today=day)
    assert not result.events
    only_open = aterforing_csv(reg.beslut_lagen(day), day, bara_oppna=True).decode("utf-8-sig")
    assert "W2;" not in only_open and "W1;" in only_open
