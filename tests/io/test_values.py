"""Strikta värden: tal, id, personnummer med mellanslag och hur värden visas i meddelanden."""

from __future__ import annotations

import pytest

from bemanning.model import personnummer
from bemanning.model.display import SHOWN_MAX, mask_personnummer, shown
from bemanning.model.errors import ValidationError
from bemanning.model.values import ID_MAX, parse_id, parse_int, parse_number


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "1E3", "1_000", "١٥", "１５",
                                  "0x10", "", "-", "1,2,3", "1.000.000"])
def test_only_ascii_digits_with_an_optional_decimal_comma_are_numbers(text):
    with pytest.raises(ValidationError):
        parse_number("timmar", text)


@pytest.mark.parametrize(("text", "value"), [("8", 8.0), ("4,5", 4.5), ("4.5", 4.5), ("38:15", 38.25),
                                             (" 1 000 ", 1000.0), ("0", 0.0)])
def test_ordinary_numbers_are_read(text, value):
    assert parse_number("timmar", text) == value


def test_numbers_have_a_stated_range():
    with pytest.raises(ValidationError, match="är för stort; högst 1000000"):
        parse_number("timmar", "1000001")
    with pytest.raises(ValidationError, match="har för många siffror; högst 9"):
        parse_int("orsak", "9" * 4300)
    with pytest.raises(ValidationError, match="får inte vara större än 130"):
        parse_int("alder_max", "131", maximum=130)


def test_ids_are_normalised_and_invisible_characters_are_named():
    assert parse_id("beslut_id", "  A\u0301-1 ") == "\u00c1-1"  # NFC och trimmat
    for char, name in [("\u200b", "U+200B nollbreddsmellanslag"), ("\ufeff", "U+FEFF byteordningsmärke (BOM)"),
                       ("\u00a0", "U+00A0 hårt mellanslag"), ("\u2060", "U+2060 ordsammanfogare")]:
        with pytest.raises(ValidationError) as exc:
            parse_id("beslut_id", f"B{char}1")
        assert f"innehåller tecknet {name}, som inte syns" in exc.value.message
    assert parse_id("beslut_id", "B" * ID_MAX) == "B" * ID_MAX
    with pytest.raises(ValidationError, match=f"högst {ID_MAX} tecken"):
        parse_id("beslut_id", "B" * (ID_MAX + 1))


def test_a_personnummer_with_a_space_gets_the_luhn_check():
    assert personnummer.looks_like_personnummer("19121212 1212")
    assert personnummer.is_valid("19121212 1212")
    assert not personnummer.is_valid("19121212 1213")
    assert personnummer.mask("19121212 1212") == "19121212-****"


@pytest.mark.parametrize("pnr", ["19121212-1212", "191212121212", "19121212 1212", "121212-1212", "1212121212",
                                 "121212+1212", "19121212-1213"])
def test_anything_that_looks_like_a_personnummer_is_masked(pnr):
    assert mask_personnummer(f'rad 2: "{pnr}" är inget kön') == 'rad 2: "[personnummer]" är inget kön'


def test_shown_values_are_cut_and_control_characters_escaped():
    assert shown("\x1b[31mröd\x07") == "\\x1b[31mröd\\x07"
    long = shown("x" * 10_000)
    assert long == "x" * SHOWN_MAX + "… (10000 tecken)"
