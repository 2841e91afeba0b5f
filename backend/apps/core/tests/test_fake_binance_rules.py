"""Le faux Binance applique les règles documentées de Binance spot : une règle, un test, avec les codes et
messages de Binance (filtres de exchangeInfo, OCO, soldes bloqués, poids des requêtes, horloge)."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from testing.fake_binance import FakeBinance


@pytest.fixture
def fake():
    with FakeBinance() as server:
        server.prices["BTCUSDT"] = Decimal("76553.69")
        yield server


def call(fake, method, path, signed=True, **params):
    """Une requête comme celles de CCXT : (statut HTTP, corps JSON, en-têtes)."""
    params = {k: v for k, v in params.items() if v is not None}
    if signed:
        params.setdefault("timestamp", int(time.time() * 1000))
        query = urlencode(params)
        params["signature"] = hmac.new(fake.secret.encode(), query.encode(), hashlib.sha256).hexdigest()
    query = urlencode(params)
    body = query.encode() if method == "POST" else None
    url = fake.url + path + ("" if method == "POST" else f"?{query}")
    request = urllib.request.Request(url, data=body, method=method, headers={"X-MBX-APIKEY": fake.api_key})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def order(fake, **params):
    defaults = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC"}
    return call(fake, "POST", "/api/v3/order", **{**defaults, **params})


def refused(answer, code, msg):
    status, body, _ = answer
    return status == 400 and body == {"code": code, "msg": msg}


def test_price_filter_refuses_a_price_or_a_stop_off_the_tick(fake):
    assert refused(order(fake, quantity="0.001", price="70000.005"), -1013, "Filter failure: PRICE_FILTER")
    stop = {"side": "SELL", "type": "STOP_LOSS_LIMIT", "quantity": "0.001", "price": "70000"}
    assert refused(order(fake, **stop, stopPrice="70000.001"), -1013, "Filter failure: PRICE_FILTER")
    assert order(fake, quantity="0.001", price="70000.01")[0] == 200


def test_lot_size_refuses_a_quantity_off_the_step_or_under_the_minimum(fake):
    assert refused(order(fake, quantity="0.000015", price="70000"), -1013, "Filter failure: LOT_SIZE")
    assert refused(order(fake, quantity="0.000001", price="70000"), -1013, "Filter failure: LOT_SIZE")
    assert order(fake, quantity="0.00002", price="300000")[0] == 200


def test_market_lot_size_caps_a_market_order(fake):
    answer = order(fake, type="MARKET", quantity="101", timeInForce=None)
    assert refused(answer, -1013, "Filter failure: MARKET_LOT_SIZE")


def test_notional_refuses_under_five_usdt_for_limit_and_market_orders(fake):
    assert refused(order(fake, quantity="0.00006", price="70000"), -1013, "Filter failure: NOTIONAL")  # 4,2 USDT
    market = {"type": "MARKET", "quantity": "0.00006"}
    assert refused(
        call(fake, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", **market), -1013, "Filter failure: NOTIONAL"
    )
    assert order(fake, quantity="0.00008", price="70000")[0] == 200  # 5,6 USDT


def test_percent_price_by_side_keeps_a_limit_price_near_the_average_price(fake):
    assert refused(order(fake, quantity="0.0001", price="400000"), -1013, "Filter failure: PERCENT_PRICE_BY_SIDE")
    low = {"side": "SELL", "quantity": "0.1", "price": "15000"}
    assert refused(order(fake, **low), -1013, "Filter failure: PERCENT_PRICE_BY_SIDE")


def test_max_num_orders_counts_the_open_orders_of_the_symbol(fake):
    [rule] = [f for f in fake.symbols["BTCUSDT"]["filters"] if f["filterType"] == "MAX_NUM_ORDERS"]
    rule["maxNumOrders"] = 2
    assert order(fake, quantity="0.001", price="70000")[0] == 200
    assert order(fake, quantity="0.001", price="70000")[0] == 200
    assert refused(order(fake, quantity="0.001", price="70000"), -1013, "Filter failure: MAX_NUM_ORDERS")


def test_max_num_algo_orders_allows_five_stop_or_target_orders_per_symbol(fake):
    fake.balances["BTC"] = [Decimal("1"), Decimal("0")]
    stop = {"side": "SELL", "type": "STOP_LOSS_LIMIT", "quantity": "0.001", "price": "70000", "stopPrice": "70100"}
    for _ in range(4):
        assert order(fake, **stop)[0] == 200
    oco = oco_params(quantity="0.001")
    assert call(fake, "POST", "/api/v3/orderList/oco", **oco)[0] == 200  # une jambe stop : un ordre algo
    assert refused(order(fake, **stop), -1013, "Filter failure: MAX_NUM_ALGO_ORDERS")
    assert refused(call(fake, "POST", "/api/v3/orderList/oco", **oco), -1013, "Filter failure: MAX_NUM_ALGO_ORDERS")
    assert order(fake, side="SELL", quantity="0.001", price="80000")[0] == 200  # un ordre limite reste permis


def test_a_stop_that_would_trigger_at_once_and_a_maker_that_would_take_are_refused(fake):
    fake.balances["BTC"] = [Decimal("1"), Decimal("0")]
    stop = {"side": "SELL", "type": "STOP_LOSS_LIMIT", "quantity": "0.001", "price": "76000"}
    assert refused(order(fake, **stop, stopPrice="77000"), -2010, "Stop price would trigger immediately.")
    take = {"side": "SELL", "type": "TAKE_PROFIT_LIMIT", "quantity": "0.001", "price": "76000"}
    assert refused(order(fake, **take, stopPrice="76000"), -2010, "Stop price would trigger immediately.")
    maker = {"side": "SELL", "type": "LIMIT_MAKER", "quantity": "0.001", "price": "76000", "timeInForce": None}
    assert refused(order(fake, **maker), -2010, "Order would immediately match and take.")


def oco_params(**changes):
    params = {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "quantity": "0.001",
        "aboveType": "LIMIT_MAKER",
        "abovePrice": "80000",
        "belowType": "STOP_LOSS_LIMIT",
        "belowStopPrice": "70000",
        "belowPrice": "69650",
        "belowTimeInForce": "GTC",
    }
    return {**params, **changes}


def test_a_sell_oco_needs_limit_above_last_price_above_stop(fake):
    wrong = "The relationship of the prices for the orders is not correct."
    for prices in ({"abovePrice": "76000"}, {"belowStopPrice": "77000", "belowPrice": "76900"}):
        assert refused(call(fake, "POST", "/api/v3/orderList/oco", **oco_params(**prices)), -2010, wrong)
    off_tick = oco_params(belowPrice="69650.001")
    assert refused(call(fake, "POST", "/api/v3/orderList/oco", **off_tick), -1013, "Filter failure: PRICE_FILTER")
    small = oco_params(quantity="0.00007")  # 5,6 USDT au-dessus, 4,9 USDT au stop-limite
    assert refused(call(fake, "POST", "/api/v3/orderList/oco", **small), -1013, "Filter failure: NOTIONAL")
    assert call(fake, "POST", "/api/v3/orderList/oco", **oco_params())[0] == 200


def test_an_open_sell_locks_its_quantity_once_even_for_the_two_legs_of_an_oco(fake):
    fake.balances["BTC"] = [Decimal("0.01"), Decimal("0")]
    assert call(fake, "POST", "/api/v3/orderList/oco", **oco_params(quantity="0.01"))[0] == 200
    account = call(fake, "GET", "/api/v3/account")[1]
    [btc] = [b for b in account["balances"] if b["asset"] == "BTC"]
    assert (btc["free"], btc["locked"]) == ("0.00", "0.01")
    take = {"side": "SELL", "type": "TAKE_PROFIT_LIMIT", "quantity": "0.01", "price": "80000", "stopPrice": "80000"}
    insufficient = "Account has insufficient balance for requested action."
    assert refused(order(fake, **take), -2010, insufficient)


def test_used_weight_is_reported_then_429_with_retry_after_then_418_for_who_keeps_going(fake):
    fake.weight_limit = 25
    status, _, headers = call(fake, "GET", "/api/v3/exchangeInfo", signed=False)
    assert status == 200 and headers["X-MBX-USED-WEIGHT-1M"] == "20"
    status, body, headers = call(fake, "GET", "/api/v3/exchangeInfo", signed=False)
    assert (status, body["code"]) == (429, -1003) and 1 <= int(headers["Retry-After"]) <= 60
    fake.in_flight = 0  # toute requête suivante vient d'un client qui a lu le 429
    status, body, headers = call(fake, "GET", "/api/v3/ping", signed=False)
    assert (status, body["code"]) == (418, -1003) and int(headers["Retry-After"]) > 60
    assert body["msg"].startswith("Way too much request weight used; IP banned until ")


def test_a_signed_request_outside_recv_window_is_refused(fake):
    fake.clock_offset_ms = 10_000  # le serveur avance de 10 s sur cette machine
    assert refused(
        call(fake, "GET", "/api/v3/account"), -1021, "Timestamp for this request is outside of the recvWindow."
    )
    assert call(fake, "GET", "/api/v3/account", recvWindow=15000)[0] == 200
    server = call(fake, "GET", "/api/v3/time", signed=False)[1]["serverTime"]
    assert call(fake, "GET", "/api/v3/account", timestamp=server)[0] == 200
    assert refused(
        call(fake, "GET", "/api/v3/account", timestamp=server + 2000),
        -1021,
        "Timestamp for this request is outside of the recvWindow.",
    )
