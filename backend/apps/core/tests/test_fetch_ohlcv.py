"""`ccxt_manager.fetch_ohlcv` : l'historique par pages (vraie classe binance de CCXT contre le faux Binance), en
Decimal, borné à [since, until[ ; pas de quantité du marché ; l'exchange paper n'a pas d'historique."""

from decimal import Decimal

import pytest

from apps.core.exceptions import NotSupported
from apps.core.services.ccxt_manager import OHLCV_PAGE, ccxt_manager

pytestmark = pytest.mark.django_db(transaction=True)
START = 1_700_000_000_000 - 1_700_000_000_000 % 3_600_000


def test_pages_until_the_end_in_decimal_with_progress(alice, make_broker, fake_binance):
    minutes = [
        [START + i * 60_000, f"{100 + i}.5", f"{101 + i}", f"{99 + i}", f"{100 + i}.25", "2"] for i in range(2500)
    ]
    fake_binance.klines[("BTCUSDT", "1m")] = minutes
    reached = []

    candles = ccxt_manager.sync.fetch_ohlcv(
        make_broker(alice), "BTC/USDT", "1m", since_ms=START, until_ms=START + 2100 * 60_000, on_page=reached.append
    )
    assert len(candles) == 2100 and fake_binance.count("/api/v3/klines") == 3
    assert reached == [START + OHLCV_PAGE * 60_000, START + 2 * OHLCV_PAGE * 60_000, START + 2100 * 60_000]
    first, last = candles[0], candles[-1]
    assert (first.open_time_ms, first.open, first.high, first.close, first.volume) == (
        START,
        Decimal("100.5"),
        Decimal("101"),
        Decimal("100.25"),
        Decimal("2"),
    )
    assert last.open_time_ms == START + 2099 * 60_000


def test_a_period_without_candles_is_empty(alice, make_broker, fake_binance):
    fake_binance.klines[("BTCUSDT", "5m")] = []
    assert (
        ccxt_manager.sync.fetch_ohlcv(make_broker(alice), "BTC/USDT", "5m", since_ms=START, until_ms=START + 10**7)
        == []
    )


def test_amount_step_is_the_lot_size_of_the_market(alice, make_broker, fake_binance, paper_broker):
    assert ccxt_manager.sync.amount_step(make_broker(alice), "BTC/USDT") == Decimal("0.00001")
    assert ccxt_manager.sync.amount_step(paper_broker, "BTC/USDT") == Decimal("0.00001")


def test_the_paper_exchange_has_no_history(paper_broker):
    with pytest.raises(NotSupported, match="historique des bougies indisponible"):
        ccxt_manager.sync.fetch_ohlcv(paper_broker, "BTC/USDT", "1m", since_ms=START, until_ms=START + 60_000)
