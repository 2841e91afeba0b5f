from decimal import Decimal

from apps.backtest.services.results import exact
from apps.core.csv_export import french_csv


def test_an_export_opens_in_a_french_excel_with_exact_decimals():
    text = french_csv(
        ["symbole", "quantité", "pnl", "date"],
        [["BTC/USDT", Decimal("0.13457"), "-12.5", "2025-01-01"], [None, 3, "", "x.y"]],
    )
    assert text == "\ufeffsymbole;quantité;pnl;date\r\nBTC/USDT;0,13457;-12,5;2025-01-01\r\n;3;;x.y\r\n"


def test_a_computed_quantity_loses_its_float_noise():
    assert exact(0.13457000000000002) == "0.13457"
    assert exact(97123.45) == "97123.45"
    assert exact(0.0) == "0"
    assert exact(1e-9) == "0.000000001"
