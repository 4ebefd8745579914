"""Ludvika-fixturen importerad: registret svarar på de frågor som nämndens rapport ställde."""

from collections import Counter
from datetime import date

from bemanning.io.importer import import_files


def _kontaktperson(lagen):
    return Counter(x.beslut.insats for x in lagen if x.beslut.insats.endswith("kontaktperson"))


def test_open_kontaktperson_beslut_on_2024_01_03(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    open_beslut = [x for x in reg.beslut_lagen(date(2024, 1, 3)) if x.is_open]
    assert _kontaktperson(open_beslut) == {"SoL – kontaktperson": 5, "LSS – kontaktperson": 12}


def test_kontaktperson_beslut_that_came_in_october_to_december_2023(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    came_in = [
        x for x in reg.beslut_lagen(date(2024, 1, 3))
        if date(2023, 10, 1) <= x.beslut.beslutsdatum <= date(2023, 12, 31)
    ]
    assert _kontaktperson(came_in) == {"SoL – kontaktperson": 2, "LSS – kontaktperson": 8}


def test_reimport_of_the_same_files_adds_nothing(reg, ludvika):
    first = import_files(reg, ludvika, today=date(2024, 1, 3))
    last = reg.last_event_id()
    second = import_files(reg, ludvika, today=date(2024, 1, 4))
    assert first.new["beslut"] == 42 and first.new["erbjudanden"] == 10
    assert second.events == []
    assert reg.last_event_id() == last
    assert second.unchanged["beslut"] == 42


def test_labels_are_stored_canonical(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    labels = {x.beslut.insats for x in reg.beslut_lagen(date(2024, 1, 3))}
    assert "SoL - kontaktperson" not in labels
    assert "Äldreboende – servicelägenhet" in labels
    assert "LSS – daglig verksamhet" in labels


def test_register_as_of_an_earlier_day(reg, ludvika):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    before = reg.beslut_lage("VON23-026", date(2023, 12, 17))
    after = reg.beslut_lage("VON23-026", date(2023, 12, 18))
    assert before.is_open and before.verkstalld_datum is None
    assert after.is_verkstallt and after.verkstalld_datum == date(2023, 12, 18)
    assert reg.beslut_lage("VON23-036", date(2023, 12, 4)) is None  # fattades 2023-12-05
