"""Faux Binance REST local : CCXT (classe `binance` d'origine) lui parle comme au vrai, sans réseau.

Démo hors ligne : `python -m testing.fake_binance 9100` (depuis backend/), puis
EXCHANGE_API_URLS=binance=http://127.0.0.1:9100 et un broker binance de clés good-key / good-secret.

Usage dans les tests :

    with FakeBinance() as fake:                       # écoute sur 127.0.0.1, port libre
        settings.EXCHANGE_API_URLS = {"binance": fake.url}   # la porte réécrit les hôtes de CCXT
        ...
        fake.count("/api/v3/exchangeInfo")            # nombre d'appels reçus sur ce chemin

Comptes : une seule paire de clés valide (`api_key`, `secret`) ; la signature HMAC de CCXT est vérifiée.
Interrupteurs (modifiables à chaud, entre deux appels) :
- `invalid_key = True` : toute requête signée répond 401 {"code": -2015, ...} ;
- `rate_limited = n` : les n prochaines requêtes répondent HTTP 429 (-1 : toujours) ;
- `delay = s` : chaque réponse attend s secondes (pour les délais dépassés) ; `order_delay = s` : seuls les
  nouveaux ordres (POST /api/v3/order) l'attendent, hors verrou (ordres en parallèle, banc du moteur) ;
- `fill_ratio = Decimal("0.5")` : les ordres suivants ne s'exécutent qu'en partie ;
- `reject_next_order = (-1013, "Filter failure: LOT_SIZE")` : le prochain ordre est refusé avec ce code ;
- `set_symbols([...])`, `prices[...]`, `balances[...]` : marchés, prix (« BTCUSDT » → Decimal), soldes ;
- `refuse_oco = True` : POST /api/v3/orderList/oco répond -1013 (OCO refusé) ; `lose_next_oco_answer` : l'OCO
  suivant est posé mais la réponse est cette erreur ;
- `stop_orders = False` : exchangeInfo n'annonce ni STOP_LOSS_LIMIT, ni TAKE_PROFIT_LIMIT, ni OCO (et les refuse).
Protection : OCO (POST /api/v3/orderList/oco : LIMIT_MAKER au-dessus, STOP_LOSS_LIMIT au-dessous, GET
/api/v3/orderList), ordres STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT (stopPrice) ; `fill_leg(order_id)` exécute une
jambe à son prix limite et fait expirer l'autre jambe de sa liste ; annuler une jambe annule toute la liste ;
`cancel_outside(order_id)` annule un ordre comme le ferait l'utilisateur sur le site de l'exchange.
Ordres : market et limit exécutés au prix courant s'ils le franchissent, sinon ouverts (NEW) ; lus ou annulés par
`orderId` ou par `origClientOrderId` (le newClientOrderId envoyé) ;
`cross(symbol, price)` change le prix et exécute les ordres limit franchis. Frais 0,1 % en devise de cotation.
"""

import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qsl, urlsplit

FEE = Decimal("0.001")
STEPS = {"BTC": ("0.01", "0.00001"), "ETH": ("0.01", "0.0001")}
DEFAULT_PRICES = {"BTCUSDT": Decimal("50000"), "ETHUSDT": Decimal("3000"), "BNBUSDT": Decimal("600")}


def _s(value: Decimal) -> str:
    return format(value, "f")


def symbol_entry(symbol: str) -> dict:
    """Une paire « BTC/USDT » au format exchangeInfo de Binance spot."""
    base, quote = symbol.split("/")
    tick, step = STEPS.get(base, ("0.0001", "0.01"))
    return {
        "symbol": base + quote,
        "status": "TRADING",
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
        "icebergAllowed": True,
        "ocoAllowed": True,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": [
            {"filterType": "PRICE_FILTER", "minPrice": tick, "maxPrice": "1000000.00", "tickSize": tick},
            {"filterType": "LOT_SIZE", "minQty": step, "maxQty": "9000.00", "stepSize": step},
            {"filterType": "NOTIONAL", "minNotional": "5.00", "applyMinToMarket": True, "maxNotional": "9000000.00"},
        ],
        "permissions": [],
        "permissionSets": [["SPOT"]],
    }


class BinanceError(Exception):
    def __init__(self, status: int, code: int, msg: str):
        super().__init__(msg)
        self.status, self.code, self.msg = status, code, msg


class FakeBinance:
    def __init__(
        self, symbols=("BTC/USDT", "ETH/USDT"), api_key: str = "good-key", secret: str = "good-secret", port: int = 0
    ):
        self.api_key, self.secret, self.port = api_key, secret, port
        self.symbols: dict[str, dict] = {}
        self.set_symbols(symbols)
        self.prices = dict(DEFAULT_PRICES)
        self.balances = {"USDT": [Decimal("1000"), Decimal("0")], "BTC": [Decimal("0.5"), Decimal("0")]}
        self.invalid_key = False
        self.rate_limited = 0
        self.delay = 0.0
        self.order_delay = 0.0
        self.fill_ratio = Decimal("1")
        self.reject_next_order: tuple[int, str] | None = None
        # L'ordre suivant est enregistré (et exécuté) mais la réponse est cette erreur (ex. -1006 « statut inconnu »).
        self.lose_next_answer: tuple[int, int, str] | None = None
        # Exécutions d'un ordre en plusieurs parts : [(part de la quantité, commission, devise), ...].
        self.fill_parts: list[tuple[Decimal, Decimal, str]] | None = None
        self.expire_partial = False  # un ordre partiellement exécuté expire aussitôt (comme un IOC)
        self.unreadable_orders: set[int] = set()  # GET /api/v3/order de ces ordres : erreur interne
        self.lookups_fail = False  # tout GET /api/v3/order : erreur interne
        self.refuse_oco = False
        self.lose_next_oco_answer: tuple[int, int, str] | None = None  # comme lose_next_answer, pour un OCO
        self.stop_orders = True
        self.order_lists: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        self.trades: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self._ids = count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # --- cycle de vie -----------------------------------------------------------------------------
    def start(self) -> "FakeBinance":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

            def do_DELETE(self):
                fake._handle(self, "DELETE")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-binance", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeBinance":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- réglages -----------------------------------------------------------------------------------
    def set_symbols(self, symbols) -> None:
        self.symbols = {entry["symbol"]: entry for entry in map(symbol_entry, symbols)}

    def count(self, path: str) -> int:
        return sum(1 for _, seen, _ in self.requests if seen == path)

    def cross(self, symbol_id: str, price: Decimal) -> None:
        """Fixe le prix de `symbol_id` (« BTCUSDT ») et exécute les ordres limit ouverts qu'il franchit."""
        with self._lock:
            self.prices[symbol_id] = price
            for order in list(self.orders.values()):
                if order["symbol"] != symbol_id or order["status"] != "NEW":
                    continue
                limit, stop = Decimal(order["price"]), Decimal(order["stopPrice"])
                if order["type"] == "STOP_LOSS_LIMIT":
                    crossed = price <= stop
                elif order["type"] == "TAKE_PROFIT_LIMIT":
                    crossed = price >= stop
                else:
                    crossed = (order["side"] == "BUY" and price <= limit) or (
                        order["side"] == "SELL" and price >= limit
                    )
                if crossed:
                    self._fill(order, limit)
                    self._end_list(order)

    # --- HTTP ---------------------------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = parts.query if method != "POST" else request.rfile.read(length).decode()
        params = dict(parse_qsl(raw))
        with self._lock:
            self.requests.append((method, parts.path, params))
            limited = self.rate_limited != 0
            if self.rate_limited > 0:
                self.rate_limited -= 1
        if self.delay:
            time.sleep(self.delay)
        if self.order_delay and method == "POST" and parts.path == "/api/v3/order":
            time.sleep(self.order_delay)
        try:
            if limited:
                raise BinanceError(
                    429, -1003, "Too many requests; current limit of IP is 6000 request weight per 1 MINUTE."
                )
            if parts.path.startswith("/sapi/") or parts.path in self.SIGNED:
                self._authenticate(request, raw)
            status, body = 200, self._route(method, parts.path, params)
        except BinanceError as error:
            status, body = error.status, {"code": error.code, "msg": error.msg}
        payload = json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # le client a abandonné (délai dépassé)

    SIGNED = {
        "/api/v3/account",
        "/api/v3/order",
        "/api/v3/openOrders",
        "/api/v3/myTrades",
        "/api/v3/orderList",
        "/api/v3/orderList/oco",
    }

    def _authenticate(self, request: BaseHTTPRequestHandler, raw: str) -> None:
        if self.invalid_key or request.headers.get("X-MBX-APIKEY") != self.api_key:
            raise BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action.")
        payload, _, signature = raw.rpartition("&signature=")
        expected = hmac.new(self.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            raise BinanceError(400, -1022, "Signature for this request is not valid.")

    def _route(self, method: str, path: str, params: dict):
        if path.startswith("/sapi/"):
            return []  # devises, marges : rien à déclarer
        routes = {
            ("GET", "/api/v3/ping"): lambda p: {},
            ("GET", "/api/v3/time"): lambda p: {"serverTime": int(time.time() * 1000)},
            ("GET", "/api/v3/exchangeInfo"): self._exchange_info,
            ("GET", "/api/v3/account"): self._account,
            ("POST", "/api/v3/order"): self._create_order,
            ("GET", "/api/v3/order"): lambda p: self._order(p, missing=(-2013, "Order does not exist.")),
            ("DELETE", "/api/v3/order"): self._cancel_order,
            ("GET", "/api/v3/openOrders"): self._open_orders,
            ("POST", "/api/v3/orderList/oco"): self._create_oco,
            ("GET", "/api/v3/orderList"): self._order_list,
            ("GET", "/api/v3/myTrades"): self._my_trades,
            ("GET", "/api/v3/ticker/price"): self._ticker_price,
            ("GET", "/api/v3/ticker/24hr"): self._ticker_24hr,
            ("GET", "/api/v3/klines"): self._klines,
        }
        handler = routes.get((method, path))
        if handler is None:
            raise BinanceError(404, -1000, f"Chemin inconnu du faux Binance : {method} {path}")
        with self._lock:
            return handler(params)

    # --- points d'entrée ----------------------------------------------------------------------------
    def _exchange_info(self, params):
        return {
            "timezone": "UTC",
            "serverTime": int(time.time() * 1000),
            "rateLimits": [],
            "exchangeFilters": [],
            "symbols": [self._announced(entry) for entry in self.symbols.values()],
        }

    def _announced(self, entry: dict) -> dict:
        if self.stop_orders:
            return entry
        kept = [t for t in entry["orderTypes"] if t not in ("STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT")]
        return {**entry, "orderTypes": kept, "ocoAllowed": False}

    def _account(self, params):
        balances = [{"asset": a, "free": _s(free), "locked": _s(locked)} for a, (free, locked) in self.balances.items()]
        return {
            "makerCommission": 10,
            "takerCommission": 10,
            "canTrade": True,
            "canWithdraw": True,
            "canDeposit": True,
            "accountType": "SPOT",
            "balances": balances,
            "permissions": ["SPOT"],
            "updateTime": int(time.time() * 1000),
        }

    def _market(self, symbol_id: str) -> dict:
        if symbol_id not in self.symbols:
            raise BinanceError(400, -1121, "Invalid symbol.")
        return self.symbols[symbol_id]

    def _create_order(self, params):
        market = self._market(params.get("symbol"))
        if self.reject_next_order:
            code, msg = self.reject_next_order
            self.reject_next_order = None
            raise BinanceError(400, code, msg)
        side, kind = params["side"], params["type"]
        if kind in ("STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT") and not self.stop_orders:
            raise BinanceError(400, -1013, "Order type not supported for this symbol.")
        quantity = Decimal(params["quantity"])
        price = self.prices[market["symbol"]]
        limit = Decimal(params["price"]) if kind != "MARKET" else None
        quote_needed = quantity * (limit or price) * (1 + FEE)
        wallet = self.balances.get(market["quoteAsset"] if side == "BUY" else market["baseAsset"], [Decimal(0)] * 2)
        if wallet[0] < (quote_needed if side == "BUY" else quantity):
            raise BinanceError(400, -2010, "Account has insufficient balance for requested action.")
        now = int(time.time() * 1000)
        order = {
            "symbol": market["symbol"],
            "orderId": next(self._ids),
            "orderListId": -1,
            "clientOrderId": params.get("newClientOrderId", f"fake{now}"),
            "transactTime": now,
            "time": now,
            "updateTime": now,
            "price": _s(limit or Decimal(0)),
            "origQty": _s(quantity),
            "executedQty": "0",
            "cummulativeQuoteQty": "0",
            "status": "NEW",
            "timeInForce": params.get("timeInForce", "GTC"),
            "type": kind,
            "side": side,
            "stopPrice": params.get("stopPrice", "0"),
            "isWorking": kind in ("MARKET", "LIMIT", "LIMIT_MAKER"),
            "fills": [],
        }
        self.orders[order["orderId"]] = order
        triggered = kind not in ("MARKET", "LIMIT")
        marketable = limit is None or (side == "BUY" and limit >= price) or (side == "SELL" and limit <= price)
        marketable = marketable and not triggered
        if marketable:
            self._fill(order, price)
        if self.lose_next_answer:
            status, code, msg = self.lose_next_answer
            self.lose_next_answer = None
            raise BinanceError(status, code, msg)
        return order

    def fill_rest(self, order_id: int, price: Decimal) -> None:
        """Exécute le reste d'un ordre partiellement exécuté (une seconde exécution)."""
        with self._lock:
            order = self.orders[order_id]
            self._fill(order, price, Decimal(order["origQty"]) - Decimal(order["executedQty"]))

    def _fill(self, order: dict, price: Decimal, quantity: Decimal | None = None) -> None:
        market = self.symbols[order["symbol"]]
        quantity = Decimal(order["origQty"]) * self.fill_ratio if quantity is None else quantity
        cost = quantity * price
        parts = self.fill_parts or [(Decimal(1), cost * FEE, market["quoteAsset"])]
        base = self.balances.setdefault(market["baseAsset"], [Decimal(0), Decimal(0)])
        quote = self.balances.setdefault(market["quoteAsset"], [Decimal(0), Decimal(0)])
        sign = 1 if order["side"] == "BUY" else -1
        base[0] += sign * quantity
        quote[0] -= sign * cost
        now = int(time.time() * 1000)
        fills = []
        for share, fee, asset in parts:
            self.balances.setdefault(asset, [Decimal(0), Decimal(0)])[0] -= fee
            trade_id = next(self._ids)
            fills.append(
                {
                    "price": _s(price),
                    "qty": _s(quantity * share),
                    "commission": _s(fee),
                    "commissionAsset": asset,
                    "tradeId": trade_id,
                }
            )
            self.trades.append(
                {
                    "symbol": order["symbol"],
                    "id": trade_id,
                    "orderId": order["orderId"],
                    "orderListId": -1,
                    "price": _s(price),
                    "qty": _s(quantity * share),
                    "quoteQty": _s(cost * share),
                    "commission": _s(fee),
                    "commissionAsset": asset,
                    "time": now,
                    "isBuyer": order["side"] == "BUY",
                    "isMaker": False,
                    "isBestMatch": True,
                }
            )
        executed = Decimal(order["executedQty"]) + quantity
        partial = "EXPIRED" if self.expire_partial else "PARTIALLY_FILLED"
        order.update(
            executedQty=_s(executed),
            cummulativeQuoteQty=_s(Decimal(order["cummulativeQuoteQty"]) + cost),
            fills=fills,
            status="FILLED" if executed == Decimal(order["origQty"]) else partial,
            updateTime=now,
        )

    def _order(self, params, missing):
        if self.lookups_fail:
            raise BinanceError(400, -1001, "Internal error; unable to process your request. Please try again.")
        client_id = params.get("origClientOrderId")
        if client_id:
            order = next((o for o in self.orders.values() if o["clientOrderId"] == client_id), None)
        else:
            order = self.orders.get(int(params.get("orderId", 0)))
            if order is not None and order["orderId"] in self.unreadable_orders:
                raise BinanceError(400, -1001, "Internal error; unable to process your request. Please try again.")
        if order is None or order["symbol"] != params.get("symbol"):
            raise BinanceError(400, *missing)
        return {key: value for key, value in order.items() if key != "fills"}

    def _cancel_order(self, params):
        order = self._order(params, missing=(-2011, "Unknown order sent."))
        if order["status"] not in ("NEW", "PARTIALLY_FILLED"):
            raise BinanceError(400, -2011, "Unknown order sent.")
        self.orders[order["orderId"]]["status"] = "CANCELED"
        self._end_list(self.orders[order["orderId"]], "CANCELED")
        return {**order, "status": "CANCELED"}

    def cancel_outside(self, order_id: int) -> None:
        """Annule un ordre (et sa liste) hors de l'API, comme l'utilisateur sur le site de l'exchange."""
        with self._lock:
            self.orders[order_id]["status"] = "CANCELED"
            self._end_list(self.orders[order_id], "CANCELED")

    def fill_leg(self, order_id: int, price: Decimal | None = None) -> None:
        """Exécute une jambe de protection à son prix limite (ou `price`) ; l'autre jambe de sa liste expire."""
        with self._lock:
            order = self.orders[order_id]
            self._fill(order, price or Decimal(order["price"]))
            self._end_list(order)

    def _end_list(self, order: dict, status: str = "EXPIRED") -> None:
        """Comme Binance : une jambe d'OCO exécutée ou annulée retire l'autre."""
        listed = self.order_lists.get(order["orderListId"])
        if listed is None:
            return
        for leg in listed["orders"]:
            other = self.orders[leg["orderId"]]
            if other is not order and other["status"] == "NEW":
                other["status"] = status
        listed.update(listOrderStatus="ALL_DONE", listStatusType="ALL_DONE")

    def _create_oco(self, params):
        market = self._market(params.get("symbol"))
        if self.refuse_oco or not self.stop_orders:
            raise BinanceError(400, -1013, "OCO orders are not supported for this symbol.")
        if params.get("aboveType") != "LIMIT_MAKER" or params.get("belowType") not in ("STOP_LOSS_LIMIT", "STOP_LOSS"):
            raise BinanceError(
                400, -1102, "Mandatory parameter 'aboveType' was not sent, was empty/null, or malformed."
            )
        quantity = Decimal(params["quantity"])
        wallet = self.balances.get(market["baseAsset"], [Decimal(0)] * 2)
        if params["side"] != "SELL" or wallet[0] < quantity:
            raise BinanceError(400, -2010, "Account has insufficient balance for requested action.")
        list_id, now = next(self._ids), int(time.time() * 1000)
        legs = []
        for kind, price, stop, client in (
            ("STOP_LOSS_LIMIT", params["belowPrice"], params["belowStopPrice"], params.get("belowClientOrderId")),
            ("LIMIT_MAKER", params["abovePrice"], "0", params.get("aboveClientOrderId")),
        ):
            leg = {
                "symbol": market["symbol"],
                "orderId": next(self._ids),
                "orderListId": list_id,
                "clientOrderId": client or f"fake{now}{kind}",
                "transactTime": now,
                "time": now,
                "updateTime": now,
                "price": price,
                "origQty": _s(quantity),
                "executedQty": "0",
                "cummulativeQuoteQty": "0",
                "status": "NEW",
                "timeInForce": "GTC",
                "type": kind,
                "side": "SELL",
                "stopPrice": stop,
                "isWorking": kind == "LIMIT_MAKER",
                "fills": [],
            }
            self.orders[leg["orderId"]] = leg
            legs.append(leg)
        listed = {
            "orderListId": list_id,
            "contingencyType": "OCO",
            "listStatusType": "EXEC_STARTED",
            "listOrderStatus": "EXECUTING",
            "listClientOrderId": params.get("listClientOrderId", f"list{now}"),
            "transactionTime": now,
            "symbol": market["symbol"],
            "orders": [
                {"symbol": market["symbol"], "orderId": leg["orderId"], "clientOrderId": leg["clientOrderId"]}
                for leg in legs
            ],
        }
        self.order_lists[list_id] = listed
        if self.lose_next_oco_answer:
            status, code, msg = self.lose_next_oco_answer
            self.lose_next_oco_answer = None
            raise BinanceError(status, code, msg)
        reports = [{k: v for k, v in leg.items() if k not in ("fills", "time", "isWorking")} for leg in legs]
        return {**listed, "orderReports": reports}

    def _order_list(self, params):
        listed = self.order_lists.get(int(params.get("orderListId", 0)))
        if listed is None:
            raise BinanceError(400, -2018, "Order list does not exist.")
        return listed

    def orders_of_type(self, kind: str) -> list[dict]:
        return [order for order in self.orders.values() if order["type"] == kind]

    def _open_orders(self, params):
        symbol = params.get("symbol")
        return [
            {k: v for k, v in o.items() if k != "fills"}
            for o in self.orders.values()
            if o["status"] in ("NEW", "PARTIALLY_FILLED") and symbol in (None, o["symbol"])
        ]

    def _my_trades(self, params):
        """Comme Binance : `orderId` limite la réponse aux exécutions de cet ordre."""
        trades = [t for t in self.trades if t["symbol"] == params.get("symbol")]
        if params.get("orderId"):
            trades = [t for t in trades if t["orderId"] == int(params["orderId"])]
        return trades

    def _ticker_price(self, params):
        return {"symbol": params["symbol"], "price": _s(self.prices[self._market(params["symbol"])["symbol"]])}

    def _ticker_24hr(self, params):
        symbol = self._market(params["symbol"])["symbol"]
        price, now = _s(self.prices[symbol]), int(time.time() * 1000)
        return {
            "symbol": symbol,
            "lastPrice": price,
            "bidPrice": price,
            "askPrice": price,
            "openPrice": price,
            "highPrice": price,
            "lowPrice": price,
            "volume": "100",
            "quoteVolume": "0",
            "priceChange": "0",
            "priceChangePercent": "0",
            "openTime": now - 86_400_000,
            "closeTime": now,
        }

    def _klines(self, params):
        """Bougies plates au prix courant, une par minute, les plus anciennes d'abord."""
        symbol = self._market(params["symbol"])["symbol"]
        price, limit = _s(self.prices[symbol]), min(int(params.get("limit", 500)), 1000)
        start = int(params.get("startTime", int(time.time() // 60 * 60_000) - (limit - 1) * 60_000))
        return [
            [start + i * 60_000, price, price, price, price, "1", start + i * 60_000 + 59_999, "0", 1, "0", "0", "0"]
            for i in range(limit)
        ]


if __name__ == "__main__":
    import sys

    fake = FakeBinance(port=int(sys.argv[1]) if len(sys.argv) > 1 else 9100).start()
    print(f"Faux Binance sur {fake.url} (clé good-key, secret good-secret) ; Ctrl-C pour arrêter.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
