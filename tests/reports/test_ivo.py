"""Kvartalsrapporten till IVO och statistiken till KF och revisorerna."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bemanning.errors import UserError
from bemanning.model import HandelseTyp as T
from bemanning.reports.format import render
from bemanning.reports.installningar import load_installningar
from bemanning.reports.ivo import (
    Kvartal,
    arende_ids,
    ivo_rapport,
    kf_dokument,
    kvartalsstatistik,
)

from .conftest import lage
from .samples import PNR_K, PNR_M

KP = "LSS – kontaktperson"
K4 = Kvartal(2023, 4)


def test_kvartal():
    assert Kvartal.parse("2023K4") == K4 == Kvartal.parse("2023-q4")
    assert (K4.start, K4.slut) == (date(2023, 10, 1), date(2023, 12, 31))
    assert Kvartal(2024, 1).slut == date(2024, 3, 31)
    assert Kvartal(2024, 1).previous() == K4
    assert K4.period() == "1 oktober–31 december 2023"
    with pytest.raises(UserError):
        Kvartal.parse("2023K5")


def test_arende_id_shape_birth_date_and_kon_parity():
    lagen = [
        lage("A1", KP, "2023-01-01", "2023-12-31", kon="K", person_id=PNR_K),
        lage("A2", KP, "2023-01-01", "2023-12-31", kon="M", person_id=PNR_M),
        lage("A3", KP, "2023-01-01", "2023-12-31", kon="M", person_id="X3", fodelsear=1940),
        lage("A4", KP, "2023-01-01", "2023-12-31", kon="K", person_id="X4"),
    ]
    ids = arende_ids(lagen)
    assert all(re.fullmatch(r"\d{8}-T\d{3}", v) for v in ids.values())
    assert ids["A1"].startswith("19520314-T") and int(ids["A1"][-1]) % 2 == 0
    assert ids["A2"].startswith("19880101-T") and int(ids["A2"][-1]) % 2 == 1
    # okänt födelsedatum: inget id, aldrig ett påhittat datum (ÅÅÅÅ0101 eller 00000000)
    assert "A3" not in ids and "A4" not in ids
    for value in ids.values():
        assert PNR_K[-4:] not in value and PNR_M[-4:] not in value


def test_arende_id_is_stable_and_unique_for_one_person_with_many_beslut():
    many = [lage(f"S{i}", KP, "2023-01-01", "2023-12-31", person_id=PNR_K) for i in range(200)]
    ids = arende_ids(many)
    assert len(set(ids.values())) == 200
    # samma id när registret växer med ett yngre beslut, och vid en annan rapport
    more = many + [lage("S-ny", KP, "2023-06-01", "2023-12-31", person_id=PNR_K)]
    again = arende_ids(more)
    assert all(again[k] == v for k, v in ids.items())


def test_categories_of_the_quarter():
    per = "2023-12-31"
    lagen = [
        lage("NY", KP, "2023-08-15", per),  # passerar 2023-11-15
        lage("KVAR", KP, "2023-03-01", per),
        lage("VERK", KP, "2023-05-01", per, events=((T.VERKSTALLT, "2023-11-20"),)),
        lage("I-TID", KP, "2023-09-01", per, events=((T.VERKSTALLT, "2023-11-20"),)),  # inom tre månader
        lage("TIDIGARE", KP, "2023-01-01", per, events=((T.VERKSTALLT, "2023-09-20"),)),  # förra kvartalet
        lage("AVSL", KP, "2023-04-01", per, events=((T.AVSLUTAT, "2023-10-05", {"orsak": "flyttat"}),)),
        lage("AVBR", KP, "2022-01-01", per, events=((T.VERKSTALLT, "2022-03-01"), (T.AVBROTT, "2023-08-01"))),
        lage("ATER", KP, "2022-01-01", per, events=(
            (T.VERKSTALLT, "2022-03-01"), (T.AVBROTT, "2023-05-01"), (T.ATERUPPTAGET, "2023-12-01"))),
    ]
    rapport = ivo_rapport(lagen, K4)
    got = {r.beslut_id: r for r in rapport.rader}
    assert set(got) == {"NY", "KVAR", "VERK", "AVSL", "AVBR", "ATER"}
    assert got["NY"].kategori == "Nytt" and got["NY"].forsta_rapportering
    assert got["KVAR"].kategori == "Kvarstår" and not got["KVAR"].forsta_rapportering
    assert got["VERK"].kategori == "Verkställt" and got["VERK"].verkstallighetsdatum == date(2023, 11, 20)
    assert got["VERK"].antal_dagar == (date(2023, 11, 20) - date(2023, 5, 1)).days
    assert got["AVSL"].kategori == "Avslutat" and got["AVSL"].avslutsdatum == date(2023, 10, 5)
    assert got["AVSL"].avslutsorsak == "flyttat"
    assert got["AVBR"].kategori == "Nytt" and got["AVBR"].avbrott_datum == date(2023, 8, 1)
    assert got["ATER"].kategori == "Återupptaget" and got["ATER"].verkstallighetsdatum == date(2023, 12, 1)
    assert got["KVAR"].lag == "LSS" and "9 § 4" in got["KVAR"].lagrum


def test_offers_and_orsak_in_ivo_rows():
    events = ((T.ERBJUDANDE, "2023-06-01", {"utfall": "tackat nej"}), (T.ERBJUDANDE, "2024-01-05", {"utfall": "accepterat"}))
    (row,) = ivo_rapport([lage("E", KP, "2023-02-01", "2023-12-31", events=events)], K4).rader
    assert row.erbjudanden == "2023-06-01 tackat nej"
    assert (row.antal_tackat_nej, row.orsak, row.orsak_text) == (1, 1, "Tackat nej till erbjuden plats")


def test_fixture_quarter_4(ludvika):
    rapport = ivo_rapport(ludvika.beslut_lagen(K4.slut), K4)
    assert (rapport.antal("Nytt"), rapport.antal("Kvarstår"), rapport.antal("Verkställt")) == (13, 10, 4)
    stat = kvartalsstatistik(rapport)
    assert (stat.antal, stat.kvinnor, stat.man) == (23, 12, 11)
    # samma ärende-id i kvartal 3 och 4
    k3 = Kvartal(2023, 3)
    ids3 = {r.beslut_id: r.arende_id for r in ivo_rapport(ludvika.beslut_lagen(k3.slut), k3).rader}
    ids4 = {r.beslut_id: r.arende_id for r in rapport.rader}
    assert ids3 and all(ids4[k] == v for k, v in ids3.items() if k in ids4)


def test_kf_statistics_use_decimal_comma_and_no_ids(ludvika):
    statistik = [
        kvartalsstatistik(ivo_rapport(ludvika.beslut_lagen(k.slut), k)) for k in (Kvartal(2023, 3), K4)
    ]
    text = render(kf_dokument(statistik, load_installningar()), "md").decode()
    assert "| 2023K4 | 23 | 12 | 11 | 10 | 13 | 216,2 | 468 |" in text
    assert "VON23" not in text and "-T" not in text
    # 34 kap. 3 §: tiden sedan varje beslut, inte bara medel och längsta
    assert "Hur lång tid som har gått sedan varje beslut" in text
    rows = [line for line in text.split("Hur lång tid som har gått sedan varje beslut")[1].splitlines()
            if line.startswith("| ") and line[2:3] != "-" and not line.startswith("| Beslut om")]
    assert len(rows) == 23
    assert rows[0].split(" | ")[2:5] == ["2022-09-19", "", "468"]
    assert "*Lagrum: 34 kap. 3 §" not in text and "16 kap. 6 h § SoL (2001:453)" in text


def test_unknown_birth_date_is_a_warning_naming_the_beslut_never_invented():
    per = "2023-12-31"
    lagen = [
        lage("B1", KP, "2023-01-01", per, kon="K", person_id=PNR_K),
        lage("B2", KP, "2023-01-01", per, kon="M", person_id="PSEUDO-2", fodelsear=1940),
        lage("B3", KP, "2023-01-01", per, kon="K", person_id="PSEUDO-3"),
    ]
    rapport = ivo_rapport(lagen, K4)
    got = {r.beslut_id: r for r in rapport.rader}
    assert got["B1"].fodelsedatum == date(1952, 3, 14) and got["B1"].arende_id.startswith("19520314-T")
    for key in ("B2", "B3"):
        assert got[key].fodelsedatum is None and got[key].arende_id == ""
    assert got["B2"].fodelsear == 1940 and got["B3"].fodelsear is None
    assert len(rapport.varningar) == 2
    b2, b3 = rapport.varningar
    assert b2.startswith("Beslut B2: den enskildes födelsedatum saknas (bara födelseåret 1940 är känt).")
    assert b3.startswith("Beslut B3: den enskildes födelsedatum saknas.") and "Ange födelsedatumet" in b3
    from bemanning.reports.format import tabell_csv
    from bemanning.reports.ivo import ivo_tabell

    csv_text = tabell_csv(ivo_tabell(rapport)).decode("utf-8-sig")
    assert "0101" not in csv_text and "00000000" not in csv_text
    assert "B2" not in csv_text and "PSEUDO" not in csv_text
