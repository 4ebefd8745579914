"""Accepterade kontaktpersonsuppdrag hos anställda blir timmar i deras schema."""

from datetime import date

from bemanning.io.forms import parse_form
from bemanning.store import recording
from bemanning.uppdrag import register_hours_per_week


def _beslut(reg, beslut_id, timmar):
    form = {"beslut_id": beslut_id, "person_id": f"P-{beslut_id}", "kon": "K",
            "insats": "LSS – kontaktperson", "beslutsdatum": "2024-01-02", "timmar_per_manad": timmar}
    recording.record_beslut(reg, parse_form("beslut", form, today=date(2024, 3, 1)).value)


def test_accepted_staff_uppdrag_become_weekly_hours(tmp_path):
    from bemanning.store import open_register

    reg = open_register(tmp_path / "r.sqlite")
    staff = parse_form("personal", {"personal_id": "P1", "namn": "Test Testsson", "enhet": "HT"}).value
    recording.create_resurs(reg, staff, date(2024, 1, 1))
    _beslut(reg, "B1", "13")
    _beslut(reg, "B2", "13")
    _beslut(reg, "B3", "8")
    recording.record_erbjudande(reg, "B1", date(2024, 2, 1), "accepterat", kandidat="P1")
    recording.record_erbjudande(reg, "B2", date(2024, 2, 1), "tackat nej", kandidat="P1")
    recording.record_erbjudande(reg, "B3", date(2024, 2, 1), "accepterat", kandidat="U-uppdragstagare")
    assert register_hours_per_week(reg, date(2024, 1, 31)) == {}
    assert register_hours_per_week(reg, date(2024, 2, 1)) == {"P1": 3.0}  # 13 h/mån = 3 h/vecka
    recording.record_verkstallt(reg, "B1", date(2024, 2, 10))
    assert register_hours_per_week(reg, date(2024, 2, 10)) == {"P1": 3.0}
    recording.record_avslutat(reg, "B1", date(2024, 3, 1), "behovet upphört")
    assert register_hours_per_week(reg, date(2024, 3, 1)) == {}
