"""Nya beslut och personer från ett formulär: samma kontroller som importen, daterad historik."""

from datetime import date

import pytest

from bemanning.errors import AlreadyExistsError, UserError
from bemanning.io.forms import parse_form
from bemanning.model import Entitet, Handelse, HandelseTyp, Vetting
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
    recording.create_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 1))
    assert recording.change_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 2)) is None
    changed = parse_form("uppdragstagare", {**form, "max_uppdrag": "2"}).value
    event = recording.change_resurs(reg, changed, date(2024, 1, 3))
    assert event.typ is HandelseTyp.ANDRAD
    assert event.data["falt"] == {"max_uppdrag": {"fran": 1, "till": 2}}
    assert reg.uppdragstagare()[0].max_uppdrag == 2
    assert len(reg.history(Entitet.UPPDRAGSTAGARE, "U1")) == 2


def test_approval_needs_a_registerutdrag(reg):
    form = {"uppdragstagare_id": "U1", "namn": "Testa Testsson", "kon": "M", "status": "referenser"}
    recording.create_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 1))
    with pytest.raises(UserError, match="registerutdraget"):
        recording.set_vetting(reg, "U1", Vetting.GODKAND, date(2024, 1, 5))
    recording.set_vetting(reg, "U1", Vetting.GODKAND, date(2024, 1, 5), registerutdrag_datum=date(2024, 1, 4))
    person = reg.uppdragstagare()[0]
    assert person.status is Vetting.GODKAND and person.registerutdrag_datum == date(2024, 1, 4)


def test_creating_a_person_with_an_existing_id_never_overwrites_her(reg):
    """Fyndet: "Ny person" med ett id som redan fanns (en person användaren inte såg) ersatte
    hennes namn, status och registerutdrag. Registret vägrar nu, vad formuläret än föreslog."""
    first = {"uppdragstagare_id": "U0001", "namn": "Maria Persson", "kon": "K", "status": "godkänd",
             "registerutdrag_datum": "2024-01-02"}
    recording.create_resurs(reg, parse_form("uppdragstagare", first).value, date(2024, 1, 3))
    before = reg.history(Entitet.UPPDRAGSTAGARE, "U0001")
    other = {"uppdragstagare_id": "U0001", "namn": "Ny Person", "kon": "M", "status": "intresseanmälan"}
    with pytest.raises(AlreadyExistsError, match="U0001 finns redan"):
        recording.create_resurs(reg, parse_form("uppdragstagare", other).value, date(2024, 2, 1))
    assert reg.history(Entitet.UPPDRAGSTAGARE, "U0001") == before
    assert reg.uppdragstagare()[0].namn == "Maria Persson"


def test_the_store_refuses_a_second_registration_of_any_record(reg):
    form = {"personal_id": "P0057", "namn": "Anna Berg", "enhet": "HT-SODER"}
    recording.create_resurs(reg, parse_form("personal", form).value, date(2024, 1, 1))
    again = Handelse(Entitet.PERSONAL, "P0057", HandelseTyp.REGISTRERAD, date(2024, 3, 1),
                     {"personal_id": "P0057", "namn": "Annan"}, "test")
    with pytest.raises(AlreadyExistsError):
        reg.append([again])
    twice = [Handelse(Entitet.PERSONAL, "P0099", HandelseTyp.REGISTRERAD, date(2024, 3, 1), {}, "test")] * 2
    with pytest.raises(AlreadyExistsError):
        reg.append(twice)
    assert [p.personal_id for p in reg.personal()] == ["P0057"]
    assert reg.personal()[0].namn == "Anna Berg"


def test_an_id_suggestion_counts_every_id_not_only_the_visible_ones(reg):
    for key in ("U0001", "U0002"):
        form = {"uppdragstagare_id": key, "namn": "X Y", "kon": "K"}
        recording.create_resurs(reg, parse_form("uppdragstagare", form).value, date(2024, 1, 1))
    assert reg.keys(Entitet.UPPDRAGSTAGARE) == ["U0001", "U0002"]
