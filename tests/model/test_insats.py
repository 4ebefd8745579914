import pytest

from bemanning.model import ValidationError, default_katalog


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("SoL - kontaktperson", "SoL – kontaktperson"),
        ("SoL– kontaktperson", "SoL – kontaktperson"),
        ("Äldreboende- demens", "Äldreboende – demens"),
        ("Äldreboende - demens", "Äldreboende – demens"),
        ("Äldreboende– servicelägenhet", "Äldreboende – servicelägenhet"),
        ("Äldreboende- servicelägenhet", "Äldreboende – servicelägenhet"),
        ("SoL- psykiatriboende", "SoL – psykiatriboende"),
        ("LSS daglig verksamhet", "LSS – daglig verksamhet"),
        ("LSS – gruppboendestad", "LSS – gruppbostad"),
        ("LSS – gruppboend", "LSS – gruppbostad"),
        ("lss — KONTAKTPERSON", "LSS – kontaktperson"),
    ],
)
def test_printed_labels_normalise_to_one_insats(printed, canonical):
    assert default_katalog().resolve(printed).namn == canonical


def test_unknown_label_is_an_error_never_a_new_insats():
    with pytest.raises(ValidationError) as exc:
        default_katalog().resolve("Kontaktfamilj för vuxna")
    assert "finns inte i insatskatalogen" in exc.value.message


def test_catalogue_knows_who_delivers_and_what_is_matchable():
    k = default_katalog()
    assert k.get("LSS – kontaktperson").is_matchable
    assert k.get("LSS – kontaktperson").paragraf == "9 § 4"
    assert not k.get("LSS – gruppbostad").is_matchable
    assert k.get("SoL – boendestöd").staff_only


def test_lagrum_is_dated_data():
    from datetime import date

    sol = default_katalog().get("SoL – kontaktperson")
    assert "2001:453" in sol.lagrum_per(date(2024, 1, 1))
    assert "2025:400" in sol.lagrum_per(date(2025, 7, 1))
