"""Nya beslut och personer från ett formulär: samma kontroller som importen, daterad historik."""

from datetime import date

import pytest

from bemanning.errors import UserError
from bemanning.io.forms import parse_form
from bemanning.model import Entitet, HandelseTyp, Vetting
from bemanning.store import recording

BESLUT = {"beslut_id": "N-1", "person_id": "P-NY", "kon": "K", "insats": "SoL - kontaktperson",
          "beslutsdatum": "2024-02-01", "onskat_sprak": "finska", "sprak_krav": "ja"}


def test_form_errors_are_given_per_field():
    result = parse_form("beslut", {**BESLUT, "beslutsdatum": "2024-02-30", "kon": "X"}, today=date(2024, 3, 1))
    assert not result.ok
    assert result.errors == {
        "kon": '"X" är inget kön; skriv K eller M',
        "beslutsdatum": '"2024-02-30" är inget datum (finns inte i kalendern)',
    }


def test_a_new_beslut_from_a_form_is_registered_with_its_enskild(reg):
    result = parse_form("beslut", BESLUT, today=date(2024, 3, 1))
    assert result.ok
    recording.record_beslut(reg, result.value)
    lage = reg.beslut_lage("N-1", date(2024, 3, 1))
    assert lage.beslut.insats == "SoL – kontaktperson"
    assert lage.beslut.onskemal.sprak == "finska" and lage.beslut.onskemal.sprak_krav
    assert lage.enskild.kon.value == "K"
    with pytest.raises(UserError, match="finns redan"):
        recording.record_beslut(reg, result.value)


def test_editing_a_person_is_a_dated_change_with_old_and_new_values(reg):
    form = {"uppdragstagare_id": "U1", "namn": "Testa Testsson", "kon": "M", "status": "intervju"}
    recording.save_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 1))
    assert recording.save_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 2)) is None
    changed = parse_form("uppdragstagare", {**form, "max_uppdrag": "2"}).value
    event = recording.save_resurs(reg, changed, date(2024, 1, 3))
    assert event.typ is HandelseTyp.ANDRAD
    assert event.data["falt"] == {"max_uppdrag": {"fran": 1, "till": 2}}
    assert reg.uppdragstagare()[0].max_uppdrag == 2
    assert len(reg.history(Entitet.UPPDRAGSTAGARE, "U1")) == 2


def test_approval_needs_a_registerutdrag(reg):
    form = {"uppdragstagare_id": "U1", "namn": "Testa Testsson", "kon": "M", "status": "referenser"}
    recording.save_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 1))
    with pytest.raises(UserError, match="registerutdraget"):
        recording.set_vetting(reg, "U1", Vetting.GODKAND, date(2024, 1, 5))
    recording.set_vetting(reg, "U1", Vetting.GODKAND, date(2024, 1, 5), registerutdrag_datum=date(2024, 1, 4))
    person = reg.uppdragstagare()[0]
    assert person.status is Vetting.GODKAND and person.registerutdrag_datum == date(2024, 1, 4)
