"""Roller: en enhetschef ser bara sina enheter; en controllers exporter och skärmar har inga namn eller personnummer."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from bemanning.access import (
    Anvandare,
    Behorighet,
    Roll,
    may,
    redact_rows,
    require,
    resolve_user,
    show_person_id,
    users_from_config,
    visible_beslut,
    visible_enheter,
    visible_personal,
    visible_uppdragstagare,
)
from bemanning.errors import UserError
from bemanning.io.exporter import export_kind
from bemanning.io.forms import parse_form
from bemanning.io.importer import import_files
from bemanning.store import recording

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
PER = date(2026, 11, 23)
PNR = "19121212-1212"

CHEF_NORR = Anvandare("anna", frozenset({Roll.ENHETSCHEF}), enheter=frozenset({"HT-NORR"}))
SCHEMA_NORR = Anvandare("bo", frozenset({Roll.SCHEMALAGGARE}), omraden=frozenset({"norr"}))
CONTROLLER = Anvandare("cecilia", frozenset({Roll.CONTROLLER}))
ADMIN = Anvandare("dan", frozenset({Roll.ADMINISTRATOR}))


@pytest.fixture
def seeded(reg):
    import_files(reg, [DEMO / f"{n}.csv" for n in ("omraden", "enheter", "personal", "uppdragstagare", "beslut")],
                 today=PER)
    for beslut_id, person, enhet in (("E-1", PNR, "HT-NORR"), ("E-2", "P-2", "HT-NORR"), ("E-3", "P-3", "HT-SODER")):
        form = {"beslut_id": beslut_id, "person_id": person, "kon": "K", "insats": "SoL – kontaktperson",
                "beslutsdatum": "2026-01-05", "enhet": enhet}
        recording.record_beslut(reg, parse_form("beslut", form, today=PER).value)
    return reg


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_an_enhetschef_sees_only_the_beslut_and_staff_of_their_units(seeded):
    lagen = seeded.beslut_lagen(PER)
    assert sorted(x.beslut_id for x in visible_beslut(CHEF_NORR, lagen)) == ["E-1", "E-2"]
    personal = visible_personal(CHEF_NORR, seeded.personal(), seeded.enheter())
    assert personal and {p.enhet for p in personal} == {"HT-NORR"}
    assert [e.enhet_id for e in visible_enheter(CHEF_NORR, seeded.enheter())] == ["HT-NORR"]
    assert len(visible_beslut(ADMIN, lagen)) == len(lagen)


def test_a_schemalaggare_sees_the_staff_of_their_omrade_but_no_beslut(seeded):
    enheter = seeded.enheter()
    norr = {e.enhet_id for e in enheter if e.omrade == "norr"}
    personal = visible_personal(SCHEMA_NORR, seeded.personal(), enheter)
    assert personal and {p.enhet for p in personal} <= norr
    assert len(personal) == sum(1 for p in seeded.personal() if p.enhet in norr)
    assert visible_beslut(SCHEMA_NORR, seeded.beslut_lagen(PER)) == []
    assert visible_uppdragstagare(SCHEMA_NORR, seeded.uppdragstagare()) == []


@pytest.mark.parametrize("kind", ["beslut", "personal", "uppdragstagare"])
def test_a_controllers_export_has_no_names_or_personnummer(seeded, kind):
    rows = _csv(export_kind(seeded, kind, PER))
    names = {p.namn for p in seeded.personal()} | {u.namn for u in seeded.uppdragstagare()}
    shown = redact_rows(CONTROLLER, rows)
    text = repr(shown)
    assert len(shown) == len(rows)
    assert PNR not in text and "121212" not in text
    assert not [n for n in names if n in text]
    assert not any("person_id" in r or "namn" in r for r in shown)
    # och samma rader med namn för en enhetschef
    assert redact_rows(CHEF_NORR, rows) == rows


def test_a_controllers_screens_show_no_people(seeded):
    lagen = seeded.beslut_lagen(PER)
    assert visible_beslut(CONTROLLER, lagen) == []
    assert visible_personal(CONTROLLER, seeded.personal(), seeded.enheter()) == []
    assert visible_uppdragstagare(CONTROLLER, seeded.uppdragstagare()) == []
    assert show_person_id(CONTROLLER, PNR) == ""
    assert may(CONTROLLER, Behorighet.SE_RAPPORTER)
    with pytest.raises(UserError, match="controller"):
        require(CONTROLLER, Behorighet.ANDRA_BESLUT)


def test_personnummer_is_masked_unless_asked_for():
    assert show_person_id(CHEF_NORR, PNR) == "19121212-****"
    assert show_person_id(CHEF_NORR, PNR, reveal=True) == PNR
    assert show_person_id(CHEF_NORR, "DEMO-P0001") == "DEMO-P0001"


def test_users_come_from_the_settings_and_an_unknown_account_gets_nothing():
    users = users_from_config({"anna": {"roller": ["enhetschef"], "enheter": ["HT-NORR"]},
                               "bo": {"roller": ["schemaläggare"], "omraden": ["norr"]}})
    assert resolve_user("anna", users) == CHEF_NORR
    assert resolve_user("bo", users) == SCHEMA_NORR
    with pytest.raises(UserError, match="ingen roll"):
        resolve_user("okand", users)
    assert resolve_user("ensam", {}).is_admin  # egen SQLite-fil utan rollinställning
    with pytest.raises(UserError, match="Okänd roll"):
        users_from_config({"x": {"roller": ["kung"]}})
