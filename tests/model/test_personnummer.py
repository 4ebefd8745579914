from datetime import date

import pytest

from bemanning.model import Enskild, Kon, ValidationError
from bemanning.model import personnummer as pnr


def test_luhn_accepts_a_valid_number_and_rejects_a_changed_digit():
    assert pnr.is_valid("811218-9876")
    assert pnr.is_valid("19811218-9876")
    assert not pnr.is_valid("811218-9875")


def test_samordningsnummer_day_plus_sixty_is_accepted():
    # 811278 = 18 december 1981 som samordningsnummer
    digits = "8112789874"
    assert pnr.luhn_ok(digits) == pnr.is_valid("811278-9874")


def test_birth_date_and_mask():
    assert pnr.birth_date("19811218-9876") == date(1981, 12, 18)
    assert pnr.mask("19811218-9876") == "19811218-****"


def test_invalid_personnummer_is_rejected_without_repeating_the_number():
    with pytest.raises(ValidationError) as exc:
        Enskild(person_id="811218-9875", kon=Kon.K)
    assert "9875" not in str(exc.value)
    assert "Luhn" in exc.value.message


def test_pseudonymous_ids_are_not_checked_as_personnummer():
    assert Enskild(person_id="VON23P001", kon=Kon.M).person_id == "VON23P001"
