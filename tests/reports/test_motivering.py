"""Skälen till dröjsmålet med ord: utkast ur historiken, handläggarens text vinner, inga namn eller id."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bemanning.cli import main
from bemanning.model import HandelseTyp as T
from bemanning.model.tremanadersregeln import Regel
from bemanning.reports.format import tabell_csv
from bemanning.reports.ivo import Kvartal, ivo_rapport, ivo_tabell
from bemanning.reports.motivering import Matchningsskal, granska, motivering, utkast

from .conftest import lage
from .samples import NAMN, PNR_K, sample_lagen

KP = "SoL – kontaktperson"
ID_LIKE = re.compile(r"(?<![\w-])(?=[\w-]*[^\W\d_])(?=[\w-]*\d)[\w-]+")


def test_draft_tells_offers_outcomes_and_binding_reason():
    per = "2024-03-31"
    events = (
        (T.ERBJUDANDE, "2024-01-10", {"utfall": "tackat nej", "kandidat": "U17", "kommentar": f"ville inte ha {NAMN}"}),
    )
    item = lage("M1", KP, "2023-11-01", per, events=events)
    skal = Matchningsskal(date(2024, 3, 31), "Ingen godkänd och ledig person talar finska.")
    text = utkast(item, date(2023, 11, 1), date(2024, 3, 31), matchning=skal)
    assert text == ("Erbjudande om kontaktperson 2024-01-10, tackat nej. "
                    "Matchning 2024-03-31: Ingen godkänd och ledig person talar finska.")
    assert "U17" not in text and "Agnes" not in text


def test_draft_for_resursbrist_a_plats_and_an_avbrott():
    per = "2024-05-31"
    plats = lage("M2", "Äldreboende – demens", "2024-01-02", per)
    assert utkast(plats, date(2024, 1, 2), date(2024, 5, 31)) == (
        "Resursbrist: plats i äldreboende – demens har inte kunnat erbjudas.")
    avbr = lage("M3", "LSS – kontaktperson", "2022-01-01", per,
                events=((T.VERKSTALLT, "2022-02-01"), (T.ERBJUDANDE, "2022-01-20", {"utfall": "accepterat"}),
                        (T.AVBROTT, "2024-01-15")))
    assert utkast(avbr, date(2024, 1, 15), date(2024, 5, 31), avbrott=True) == (
        "Insatsen avbröts 2024-01-15 och har inte återupptagits. "
        "Resursbrist: kontaktperson har inte kunnat erbjudas.")


def test_the_handlaggare_text_wins_from_its_date():
    events = ((T.ERBJUDANDE, "2024-01-10", {"utfall": "tackat nej"}),
              (T.MOTIVERING, "2024-02-01", {"text": "Den enskilde vill vänta tills våren."}))
    before = lage("M4", KP, "2023-11-01", "2024-01-31", events=events)
    after = lage("M4", KP, "2023-11-01", "2024-03-31", events=events)
    assert not motivering(before, date(2023, 11, 1), date(2024, 1, 31)).egen
    got = motivering(after, date(2023, 11, 1), date(2024, 3, 31))
    assert got.egen and got.text == "Den enskilde vill vänta tills våren."


def test_a_text_with_a_name_or_an_id_is_not_used_and_warns():
    events = ((T.MOTIVERING, "2024-02-01", {"text": "Agnes Testsson kunde inte ta uppdraget."}),)
    item = lage("M5", KP, "2023-11-01", "2024-03-31", events=events)
    got = motivering(item, date(2023, 11, 1), date(2024, 3, 31), forbjudna={"Agnes", "Testsson"})
    assert not got.egen and "Agnes" not in got.text
    assert got.varning.startswith("Beslut M5: den skrivna motiveringen (2024-02-01) innehåller ett namn")
    assert granska("Uppdragstagare U17 tackade nej.") != ""
    assert granska(f"Se {PNR_K}.") != ""
    assert granska("Erbjudande om kontaktperson 2024-01-10, tackat nej.") == ""


def _scan(texts, forbidden):
    for text in texts:
        assert text
        assert not ID_LIKE.search(text), text
        assert not re.search(r"\d{6,8}[-+]?\d{4}", text), text
        for word in forbidden:
            assert word.lower() not in text.lower(), (word, text)


def test_reasons_in_the_samples_hold_no_name_or_id():
    lagen = sample_lagen()
    rapport = ivo_rapport(lagen, Kvartal(2024, 2))
    forbidden = {x.beslut.beslut_id for x in lagen} | {x.beslut.person_id for x in lagen} | set(NAMN.split())
    _scan([r.motivering for r in rapport.rader], forbidden)


def test_reasons_in_the_ludvika_fixture_hold_no_name_or_id(ludvika):
    k4 = Kvartal(2023, 4)
    lagen = ludvika.beslut_lagen(k4.slut)
    rapport = ivo_rapport(lagen, k4)
    assert len(rapport.rader) == 27
    forbidden = {x.beslut.beslut_id for x in lagen} | {x.beslut.person_id for x in lagen}
    _scan([r.motivering for r in rapport.rader], forbidden)
    assert sum("tackat nej" in r.motivering for r in rapport.rader) >= 7


def test_registrera_motivering_from_the_command_line(register_factory, capsys):
    db = register_factory(["W1;P1;K;LSS – kontaktperson;2023-05-01;;;;"]).url
    text = "Kontaktperson erbjuden 2023-09-01, tackat nej. Ingen annan godkänd uppdragstagare talar finska."
    assert main(["--db", db, "registrera", "motivering", "W1", text, "--datum", "2023-10-02"]) == 0
    assert "Skäl till dröjsmålet" in capsys.readouterr().out
    assert main(["--db", db, "rapport", "ivo", "--kvartal", "2023K4", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert text in out and "W1" not in out
    # ett personnummer i texten vägras med ett svenskt fel
    assert main(["--db", db, "registrera", "motivering", "W1", f"Gäller {PNR_K}"]) == 1
    assert "personnummer" in capsys.readouterr().err


def test_reasons_go_into_the_ivo_csv():
    data = tabell_csv(ivo_tabell(ivo_rapport(sample_lagen(), Kvartal(2024, 2)))).decode("utf-8-sig")
    assert "Skäl till dröjsmålet" in data.splitlines()[0]
    assert "Erbjudande om kontaktperson 2023-06-01, tackat nej." in data


def test_a_reason_naming_an_uppdragstagare_is_refused_in_the_app_and_the_cli_alike(tmp_path):
    """Rapporten ur registret (som både appen och kommandoraden gör) skyddar uppdragstagarnas
    namn: en motivering med ett namn används inte och ger en varning."""
    from bemanning.demo import DEMO_REFERENCE, load_demo
    from bemanning.reports.urval import ivo_ur_registret
    from bemanning.store import open_register, recording

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    kvartal = Kvartal(DEMO_REFERENCE.year, (DEMO_REFERENCE.month - 1) // 3 + 1)
    before = ivo_ur_registret(reg, kvartal, Regel(), reg.katalog)
    waiting = next(r for r in before.rader if r.kategori in ("Nytt", "Kvarstår") and r.antal_dagar > 10)
    beslut_id = next(x.beslut_id for x in reg.beslut_lagen(kvartal.slut)
                     if x.beslut.beslutsdatum == waiting.beslutsdatum and x.beslut.insats == waiting.insats)
    efternamn = reg.uppdragstagare(kvartal.slut)[0].namn.split()[-1]
    recording.record_motivering(reg, beslut_id, kvartal.slut - timedelta(days=5),
                                f"Erbjuden kontaktperson {efternamn}, tackat nej.")
    after = ivo_ur_registret(reg, kvartal, Regel(), reg.katalog)
    assert all(efternamn not in r.motivering for r in after.rader)
    assert any(beslut_id in v and "används inte" in v for v in after.motiveringsvarningar)
    reg.close()
