from decimal import Decimal

import pytest

from apps.core.french_numbers import french_number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0.0026"), "0,0026"),
        (Decimal("10326.42"), "10\u202f326,42"),
        (Decimal("-1234567.50"), "-1\u202f234\u202f567,5"),
        (Decimal("50000"), "50\u202f000"),
        (Decimal("5E+4"), "50\u202f000"),
        (Decimal("1E-8"), "0,00000001"),
        (Decimal("0.00"), "0"),
        (Decimal("999"), "999"),
        (7, "7"),
    ],
)
def test_numbers_in_messages_are_written_the_french_way_without_rounding(value, text):
    assert french_number(value) == text


def test_an_amount_in_usd_keeps_its_two_decimals():
    assert french_number(Decimal("10012.5"), places=2) == "10\u202f012,50"
    assert french_number(Decimal("-0.004"), places=2) == "0,00"
    assert french_number(Decimal("1234.567"), places=2) == "1\u202f234,57"
