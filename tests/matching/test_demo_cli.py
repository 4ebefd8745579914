"""Matchningen på demodata och kommandoraden `bemanning matcha`."""

from __future__ import annotations

import json
import shutil

import pytest

from bemanning.cli import main
from bemanning.demo import DEMO_REFERENCE, load_demo
from bemanning.matching.engine import match_register
from bemanning.matching.settings import Settings
from bemanning.store import open_register

PER = DEMO_REFERENCE


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    load_demo(path, today=DEMO_REFERENCE)
    return path


@pytest.fixture
def db(demo_db, tmp_path):
    target = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, target)
    return target


def test_demo_most_pending_kontaktperson_get_a_person_and_the_rest_are_explained(demo_db):
    reg = open_register(demo_db)
    try:
        result = match_register(reg, PER, settings=Settings())
    finally:
        reg.close()
    kp = [f for f in result.forslag if "kontaktperson" in f.arende.insats]
    kp_without = [u for u in result.utan_person if "kontaktperson" in u.arende.insats]
    assert len(kp) > 2 * len(kp_without), (len(kp), len(kp_without))
    for u in result.utan_person:
        assert u.forklaring.kod in ("krav", "upptagen")
        assert u.forklaring.text
    assert result.losning.optimal
    assert result.rekrytering.antal == len(result.utan_person)
    # varje förslag bryter inget krav och ingen får fler uppdrag än den tar
    per_person: dict[str, int] = {}
    for f in result.forslag:
        per_person[f.kandidat.kandidat_id] = per_person.get(f.kandidat.kandidat_id, 0) + 1
        assert f.kandidat.kandidat_id not in f.arende.__getattribute__("uteslutna")
    for f in result.forslag:
        assert per_person[f.kandidat.kandidat_id] <= f.kandidat.uppdrag_kvar


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_text_and_json(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "matcha", "--per", PER.isoformat())
    assert code == 0
    assert "FÖRSLAG (" in out and "UTAN PERSON (" in out and "REKRYTERING" in out
    code, out, _ = run(capsys, "--db", str(db), "matcha", "--per", PER.isoformat(), "--json",
                       "--insats", "kontaktperson")
    assert code == 0
    data = json.loads(out)
    assert data["statistik"]["med_forslag"] == len(data["forslag"])
    assert all("kontaktperson" in f["insats"] for f in data["forslag"] + data["utan_person"])
    assert all(u["orsak"] for u in data["utan_person"])


def test_cli_workflow_declined_pair_is_never_proposed_again(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "matcha", "--per", PER.isoformat(), "--json")
    first = json.loads(out)["forslag"][0]
    beslut, person = first["beslut_id"], first["kandidat"]
    day = PER.isoformat()
    assert run(capsys, "--db", str(db), "matcha", "godkann", beslut, person, "--datum", day)[0] == 0
    code, out, _ = run(capsys, "--db", str(db), "matcha", "erbjud", beslut, person, "--datum", day,
                       "--utfall", "tackat-nej")
    assert code == 0 and "orsakskod 1" in out
    code, out, _ = run(capsys, "--db", str(db), "matcha", "--per", day, "--json")
    again = {f["beslut_id"]: f["kandidat"] for f in json.loads(out)["forslag"]}
    assert again.get(beslut) != person
    # erbjuda samma par igen går inte
    code, _, err = run(capsys, "--db", str(db), "matcha", "godkann", beslut, person, "--datum", day)
    assert code == 1 and "tackat nej" in err


def test_cli_workflow_to_verkstallt(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "matcha", "--per", PER.isoformat(), "--json", "--spara")
    data = json.loads(out)
    assert data["sparade_forslag"] == len(data["forslag"])
    beslut, person = data["forslag"][0]["beslut_id"], data["forslag"][0]["kandidat"]
    day = PER.isoformat()
    assert run(capsys, "--db", str(db), "matcha", "godkann", beslut, person, "--datum", day)[0] == 0
    assert run(capsys, "--db", str(db), "matcha", "erbjud", beslut, person, "--datum", day,
               "--utfall", "accepterat")[0] == 0
    assert run(capsys, "--db", str(db), "matcha", "verkstall", beslut, "--datum", day)[0] == 0
    reg = open_register(db)
    try:
        lage = reg.beslut_lage(beslut, PER)
        assert lage.verkstalld_datum == PER and not lage.is_open
        result = match_register(reg, PER, settings=Settings())
    finally:
        reg.close()
    assert beslut not in {f.beslut_id for f in result.forslag}
    assert (beslut, person) in {(x.beslut_id, x.kandidat_id) for x in result.lasta}


def test_cli_bad_input(db, capsys):
    code, _, err = run(capsys, "--db", str(db), "matcha", "erbjud", "FINNS-EJ", "U1", "--utfall", "accepterat")
    assert code == 1 and "finns inte" in err
    code, _, err = run(capsys, "--db", str(db), "matcha", "godkann", "DEMO-0032", "OKAND")
    assert code == 1 and "finns inte bland" in err


def test_no_identity_in_logs(demo_db, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="bemanning")
    reg = open_register(demo_db)
    try:
        result = match_register(reg, PER, settings=Settings())
        names = {f.kandidat.namn for f in result.forslag} | {f.kandidat.kandidat_id for f in result.forslag}
        names |= {f.beslut_id for f in result.forslag}
    finally:
        reg.close()
    text = caplog.text
    assert text
    assert not [n for n in names if n in text]
