"""Ett besluts önskemål ändras som en daterad händelse: det gamla läget finns kvar per en tidigare
dag, felaktiga uppgifter ändrar ingenting, och två som sparar samma beslut skriver inte över
varandra (issue 6)."""

from datetime import date

import pytest

from bemanning.errors import ConflictError, UserError
from bemanning.io.forms import parse_form
from bemanning.model import Entitet, HandelseTyp
from bemanning.store import recording

TODAY = date(2024, 3, 1)
BESLUT = {"beslut_id": "N-1", "person_id": "P-NY", "kon": "K", "insats": "SoL - kontaktperson",
          "beslutsdatum": "2024-02-01", "onskat_sprak": "finska", "sprak_krav": "ja", "tider": "vardag",
          "omrade": "norr"}


def _row(**changes: str):
    result = parse_form("beslut", {**BESLUT, **changes}, today=TODAY)
    assert result.ok, result.errors
    return result.value


@pytest.fixture
def registered(reg):
    recording.record_beslut(reg, _row())
    return reg


def test_a_changed_wish_is_a_dated_change_and_the_earlier_state_is_still_readable(registered):
    reg = registered
    before = len(reg.history(Entitet.BESLUT, "N-1"))
    events = recording.record_andring(reg, _row(onskat_sprak="arabiska", sprak_krav="nej", tider="kväll, helg",
                                                omrade="söder"), date(2024, 2, 20))
    assert [(e.entitet, e.typ) for e in events] == [(Entitet.BESLUT, HandelseTyp.ANDRAD),
                                                    (Entitet.ENSKILD, HandelseTyp.ANDRAD)]
    assert events[0].data["falt"] == {
        "onskemal.sprak": {"fran": "finska", "till": "arabiska"},
        "onskemal.sprak_krav": {"fran": True, "till": False},
        "onskemal.tider": {"fran": ["vardag"], "till": ["helg", "kvall"]},
    }
    history = reg.history(Entitet.BESLUT, "N-1")
    assert len(history) == before + 1  # tillagt, inget omskrivet
    assert history[-1].beskrivning() == (
        "Ändring: önskat språk finska → arabiska, språk som krav ja → nej, tider vardag → helg, kväll")

    now = reg.beslut_lage("N-1", TODAY)
    assert now.beslut.onskemal.sprak == "arabiska" and not now.beslut.onskemal.sprak_krav
    assert now.beslut.onskemal.tider == ("helg", "kvall")
    assert now.enskild.omrade == "söder"
    assert reg.beslut_lagen(TODAY)[0].beslut.onskemal.sprak == "arabiska"  # det matchningen läser

    earlier = reg.beslut_lage("N-1", date(2024, 2, 19))
    assert earlier.beslut.onskemal.sprak == "finska" and earlier.beslut.onskemal.sprak_krav
    assert earlier.enskild.omrade == "norr"


def test_nothing_changed_gives_no_event(registered):
    last = registered.last_event_id()
    assert recording.record_andring(registered, _row(), TODAY) == []
    assert registered.last_event_id() == last


def test_bad_input_changes_nothing(registered):
    reg = registered
    last = reg.last_event_id()
    bad = parse_form("beslut", {**BESLUT, "max_avstand_km": "-3", "tider": "natt"}, today=TODAY)
    assert set(bad.errors) == {"max_avstand_km", "tider"}  # felen vid fälten; inget att spara
    with pytest.raises(UserError, match="före beslutsdatum"):
        recording.record_andring(reg, _row(onskat_sprak="arabiska"), date(2024, 1, 15))
    with pytest.raises(UserError, match="rättelse"):
        recording.record_andring(reg, _row(insats="LSS - kontaktperson", onskat_sprak="arabiska"), TODAY)
    with pytest.raises(UserError, match="finns inte"):
        recording.record_andring(reg, _row(beslut_id="N-2"), TODAY)
    assert reg.last_event_id() == last
    assert reg.beslut_lage("N-1", TODAY).beslut.onskemal.sprak == "finska"


def test_a_save_on_a_stale_version_is_refused_and_changes_nothing(registered):
    reg = registered
    seen = recording.beslut_versions(reg, reg.beslut_lage("N-1", TODAY))
    recording.record_erbjudande(reg, "N-1", date(2024, 2, 10), "tackat nej")  # någon annan sparar
    last = reg.last_event_id()
    with pytest.raises(ConflictError, match="ändrades av någon annan"):
        recording.record_andring(reg, _row(onskat_sprak="arabiska"), TODAY, expected_version=seen)
    assert reg.last_event_id() == last
    fresh = recording.beslut_versions(reg, reg.beslut_lage("N-1", TODAY))
    assert recording.record_andring(reg, _row(onskat_sprak="arabiska"), TODAY, expected_version=fresh)


def test_two_people_recording_verkstallt_at_once_only_one_gets_through(registered, monkeypatch):
    """Den andra läser beslutet som ej verkställt, den första hinner spara verkställt innan den andra
    sparar: den andras händelse vägras med konfliktmeddelandet i stället för att bli en andra
    verkställighet (issue 7)."""
    reg = registered
    read = recording.current_lage
    other_user_saved = []

    def read_then_someone_else_saves(r, beslut_id, datum):
        lage = read(r, beslut_id, datum)
        if not other_user_saved:
            other_user_saved.append(True)
            recording.record_verkstallt(r, beslut_id, date(2024, 2, 26))
        return lage

    monkeypatch.setattr(recording, "current_lage", read_then_someone_else_saves)
    with pytest.raises(ConflictError, match="ändrades av någon annan"):
        recording.record_verkstallt(reg, "N-1", date(2024, 2, 27))
    monkeypatch.undo()
    kinds = [e.typ for e in reg.history(Entitet.BESLUT, "N-1")]
    assert kinds.count(HandelseTyp.VERKSTALLT) == 1
    assert reg.beslut_lage("N-1", TODAY).verkstalld_datum == date(2024, 2, 26)
