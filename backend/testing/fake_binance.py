"""Faux Binance REST local : CCXT (classe `binance` d'origine) lui parle comme au vrai, sans réseau.

Démo hors ligne : `python -m testing.fake_binance 9100` (depuis backend/), puis
EXCHANGE_API_URLS=binance=http://127.0.0.1:9100 et un broker binance de clés good-key / good-secret.

Usage dans les tests :

    with FakeBinance() as fake:                       # écoute sur 127.0.0.1, port libre
        settings.EXCHANGE_API_URLS = {"binance": fake.url}   # la porte réécrit les hôtes de CCXT
        ...
        fake.count("/api/v3/exchangeInfo")            # nombre d'appels reçus sur ce chemin

Comptes : une seule paire de clés valide (`api_key`, `secret`) ; la signature HMAC de CCXT est vérifiée.
Strict comme Binance (règles regroupées sous « règles de Binance », codes et messages de Binance) :
- chaque ordre et chaque jambe d'OCO passe PRICE_FILTER (prix et stopPrice), LOT_SIZE, MARKET_LOT_SIZE,
  NOTIONAL (prix moyen = prix courant pour un ordre au marché), PERCENT_PRICE_BY_SIDE, MAX_NUM_ORDERS,
  MAX_NUM_ALGO_ORDERS (-1013 « Filter failure: … ») ; un stop qui se déclencherait aussitôt, un LIMIT_MAKER qui
  prendrait, un OCO de vente hors de « limite > dernier prix > stop » : -2010 ; `set_filter(...)` change un filtre ;
- soldes : `balances[devise] = [avoir, 0]` ; un ordre ouvert bloque ce qu'il peut dépenser (une fois par OCO),
  au-delà du libre : -2010 « Account has insufficient balance… » ; `place_outside(...)` : un ordre du site ;
- poids : `X-MBX-USED-WEIGHT-1M` sur chaque réponse, au-delà de `weight_limit` par `weight_window` s : 429 et
  `Retry-After` ; une requête qui arrive pendant ce Retry-After (plus de `in_flight` s après le 429) : 418 ;
- horloge : `clock_offset_ms` avance celle du serveur ; un `timestamp` signé hors de `recvWindow` : -1021 ;
- `refused` : les (code, msg) de chaque réponse d'erreur.
Interrupteurs (modifiables à chaud, entre deux appels) :
- `invalid_key = True` : toute requête signée répond 401 {"code": -2015, ...} ;
- `rate_limited = n` : les n prochaines requêtes répondent HTTP 429, Retry-After `retry_after` (-1 : toujours) ;
- `delay = s` : chaque réponse attend s secondes (pour les délais dépassés) ; `order_delay = s` : seuls les
  nouveaux ordres (POST /api/v3/order) l'attendent, hors verrou (ordres en parallèle, banc du moteur) ;
- `gate.clear()` : toute réponse attend `gate.set()` (prouver qu'une action n'attend pas l'exchange) ;
- `fill_ratio = Decimal("0.5")` : les ordres suivants ne s'exécutent qu'en partie ;
- `reject_next_order = (-1013, "Filter failure: LOT_SIZE")` : le prochain ordre est refusé avec ce code ;
- `set_symbols([...])`, `prices[...]`, `balances[...]` : marchés, prix (« BTCUSDT » → Decimal), soldes ;
- `uncancellable = {order_id}` : l'annulation de ces ordres répond une erreur interne (-1001) ;
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
Achat au marché au montant (quoteOrderQty, sans quantity) : la quantité que le montant achète au prix d'exécution,
tronquée au pas LOT_SIZE ; commission prise sur la base reçue (le montant est tout ce qui est dépensé).
`next_market_price = Decimal(...)` : glissement, le prochain ordre au marché s'exécute à ce prix.
"""

import hashlib
import hmac
import json
import math
import threading
import time
from decimal import ROUND_DOWN, Decimal
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
        "quoteOrderQtyMarketAllowed": True,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": [
            {"filterType": "PRICE_FILTER", "minPrice": tick, "maxPrice": "1000000.00", "tickSize": tick},
            {"filterType": "LOT_SIZE", "minQty": step, "maxQty": "9000.00", "stepSize": step},
            {"filterType": "MARKET_LOT_SIZE", "minQty": "0.00", "maxQty": "100.00", "stepSize": "0.00"},
            {
                "filterType": "NOTIONAL",
                "minNotional": "5.00",
                "applyMinToMarket": True,
                "maxNotional": "9000000.00",
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
            {
                "filterType": "PERCENT_PRICE_BY_SIDE",
                "bidMultiplierUp": "5",
                "bidMultiplierDown": "0.2",
                "askMultiplierUp": "5",
                "askMultiplierDown": "0.2",
                "avgPriceMins": 5,
            },
            {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
            {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
        ],
        "permissions": [],
        "permissionSets": [["SPOT"]],
    }


class BinanceError(Exception):
    def __init__(self, status: int, code: int, msg: str):
        super().__init__(msg)
        self.status, self.code, self.msg = status, code, msg


# --- règles de Binance (documentation spot : filtres, codes d'erreur) ----------------------------------
ALGO_TYPES = frozenset({"STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"})
OPEN = ("NEW", "PARTIALLY_FILLED")
# Poids des requêtes (documentation de chaque point d'entrée) ; 1 pour les autres.
WEIGHTS = {
    "/api/v3/exchangeInfo": 20,
    "/api/v3/account": 20,
    "/api/v3/myTrades": 20,
    "/api/v3/openOrders": 6,
    "/api/v3/orderList": 4,
    "/api/v3/order": 4,
    "/api/v3/ticker/price": 2,
    "/api/v3/ticker/24hr": 2,
    "/api/v3/klines": 2,
}


def _filter(market: dict, kind: str) -> dict | None:
    return next((f for f in market["filters"] if f["filterType"] == kind), None)


def _failure(name: str) -> BinanceError:
    return BinanceError(400, -1013, f"Filter failure: {name}")


def _on_grid(value: Decimal, low: Decimal, step: Decimal) -> bool:
    return step == 0 or (value - low) % step == 0


def check_price(market: dict, price: Decimal) -> None:
    """PRICE_FILTER, pour `price` comme pour `stopPrice` (0 : règle désactivée)."""
    rule = _filter(market, "PRICE_FILTER")
    low, high, tick = (Decimal(rule[k]) for k in ("minPrice", "maxPrice", "tickSize"))
    if (low and price < low) or (high and price > high) or not _on_grid(price, low, tick):
        raise _failure("PRICE_FILTER")


def check_quantity(market: dict, quantity: Decimal, *, market_order: bool) -> None:
    """LOT_SIZE, et MARKET_LOT_SIZE pour un ordre au marché."""
    for name in ("LOT_SIZE", "MARKET_LOT_SIZE") if market_order else ("LOT_SIZE",):
        rule = _filter(market, name)
        if rule is None:
            continue
        low, high, step = (Decimal(rule[k]) for k in ("minQty", "maxQty", "stepSize"))
        if quantity <= 0 or (low and quantity < low) or (high and quantity > high) or not _on_grid(quantity, low, step):
            raise _failure(name)


def check_notional(market: dict, quantity: Decimal, price: Decimal, *, market_order: bool) -> None:
    """NOTIONAL : prix × quantité (prix moyen pour un ordre au marché, si applyMinToMarket / applyMaxToMarket)."""
    rule = _filter(market, "NOTIONAL")
    notional = quantity * price
    low, high = Decimal(rule["minNotional"]), Decimal(rule["maxNotional"])
    if (not market_order or rule["applyMinToMarket"]) and notional < low:
        raise _failure("NOTIONAL")
    if (not market_order or rule["applyMaxToMarket"]) and notional > high:
        raise _failure("NOTIONAL")


def check_percent_price(market: dict, side: str, price: Decimal, average: Decimal) -> None:
    """PERCENT_PRICE_BY_SIDE : le prix d'un ordre limite dans une bande autour du prix moyen, selon le sens."""
    rule = _filter(market, "PERCENT_PRICE_BY_SIDE")
    prefix = "bid" if side == "BUY" else "ask"
    up, down = Decimal(rule[f"{prefix}MultiplierUp"]), Decimal(rule[f"{prefix}MultiplierDown"])
    if price > average * up or price < average * down:
        raise _failure("PERCENT_PRICE_BY_SIDE")


def check_counts(market: dict, open_orders: list[dict], new_orders: int, new_algo: int) -> None:
    """MAX_NUM_ORDERS et MAX_NUM_ALGO_ORDERS : ordres ouverts de la paire, comptés avec ceux qu'on ajoute."""
    total = len(open_orders) + new_orders
    algo = sum(o["type"] in ALGO_TYPES for o in open_orders) + new_algo
    if total > _filter(market, "MAX_NUM_ORDERS")["maxNumOrders"]:
        raise _failure("MAX_NUM_ORDERS")
    if algo > _filter(market, "MAX_NUM_ALGO_ORDERS")["maxNumAlgoOrders"]:
        raise _failure("MAX_NUM_ALGO_ORDERS")


def check_trigger(kind: str, side: str, stop: Decimal, last: Decimal) -> None:
    """Un stop-loss ou un take-profit qui se déclencherait aussitôt est refusé (-2010)."""
    falls = (kind.startswith("STOP_LOSS")) == (side == "SELL")  # se déclenche quand le prix descend à stop
    if (falls and last <= stop) or (not falls and last >= stop):
        raise BinanceError(400, -2010, "Stop price would trigger immediately.")


def check_oco_prices(above: Decimal, below: Decimal, last: Decimal) -> None:
    """OCO : la jambe du dessus (limite d'une vente, stop d'un achat) > dernier prix > celle du dessous."""
    if not above > last > below:
        raise BinanceError(400, -2010, "The relationship of the prices for the orders is not correct.")


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
        self.rate_limited = 0  # 429 scriptés (Retry-After : `retry_after` s)
        self.retry_after = 0
        # Poids : `weight_limit` par fenêtre de `weight_window` s ; au-delà 429 (Retry-After : fin de la fenêtre),
        # puis 418 (bannissement de `ban_seconds` s) pour un client qui insiste avant la fin du Retry-After.
        self.weight_limit, self.weight_window, self.ban_seconds = 6000, 60, 120
        self.weight_used, self._window, self.banned_until = 0, 0, 0.0
        self._backoff_since, self._backoff_until = 0.0, 0.0
        self.in_flight = 2.0  # s : une requête reçue si tôt après un 429 était déjà partie (pas de bannissement)
        self.clock_offset_ms = 0  # horloge du serveur en avance (ms) sur celle de la machine
        self.recv_window_ms = 5000  # recvWindow par défaut de Binance
        self.delay = 0.0
        self.order_delay = 0.0
        self.gate = threading.Event()
        self.gate.set()
        self.fill_ratio = Decimal("1")
        # Glissement : le prochain ordre au marché s'exécute à ce prix (devenu le prix courant), pas à celui que
        # l'appelant a lu avant l'envoi.
        self.next_market_price: Decimal | None = None
        self.reject_next_order: tuple[int, str] | None = None
        # L'ordre suivant est enregistré (et exécuté) mais la réponse est cette erreur (ex. -1006 « statut inconnu »).
        self.lose_next_answer: tuple[int, int, str] | None = None
        # Exécutions d'un ordre en plusieurs parts : [(part de la quantité, commission, devise), ...].
        self.fill_parts: list[tuple[Decimal, Decimal, str]] | None = None
        self.expire_partial = False  # un ordre partiellement exécuté expire aussitôt (comme un IOC)
        self.unreadable_orders: set[int] = set()  # GET /api/v3/order de ces ordres : erreur interne
        self.lookups_fail = False  # tout GET /api/v3/order : erreur interne
        self.uncancellable: set[int] = set()  # DELETE /api/v3/order de ces ordres : erreur interne (annulation refusée)
        self.refuse_oco = False
        self.lose_next_oco_answer: tuple[int, int, str] | None = None  # comme lose_next_answer, pour un OCO
        self.stop_orders = True
        self.order_lists: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        # Historique servi par /api/v3/klines, par (« BTCUSDT », intervalle) : lignes [ms, o, h, l, c, v] en texte.
        self.klines: dict[tuple[str, str], list[list]] = {}
        self.trades: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.refused: list[tuple[int, str]] = []  # (code, msg) de chaque réponse d'erreur
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

    def set_filter(self, symbol_id: str, kind: str, **values) -> None:
        """Change un filtre de exchangeInfo de la paire (ex. `set_filter("BTCUSDT", "MAX_NUM_ALGO_ORDERS",
        maxNumAlgoOrders=0)`), comme Binance peut le faire entre deux chargements des marchés."""
        with self._lock:
            _filter(self.symbols[symbol_id], kind).update(values)

    def place_outside(self, symbol_id: str, kind: str, quantity: Decimal, price: Decimal, stop: Decimal) -> dict:
        """Un ordre ouvert posé hors de l'API (sur le site de l'exchange), sans contrôle : il compte dans les
        limites de la paire et bloque son solde."""
        with self._lock:
            now = int(time.time() * 1000)
            order = {
                "symbol": symbol_id,
                "orderId": next(self._ids),
                "orderListId": -1,
                "clientOrderId": f"web{now}",
                "transactTime": now,
                "time": now,
                "updateTime": now,
                "price": _s(price),
                "origQty": _s(quantity),
                "executedQty": "0",
                "cummulativeQuoteQty": "0",
                "status": "NEW",
                "timeInForce": "GTC",
                "type": kind,
                "side": "SELL",
                "stopPrice": _s(stop),
                "isWorking": False,
                "fills": [],
            }
            self.orders[order["orderId"]] = order
            return order

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
            refusal = self._weigh(parts.path) if not limited else self._too_many(self.retry_after)
        self.gate.wait(60)
        if self.delay:
            time.sleep(self.delay)
        if self.order_delay and method == "POST" and parts.path == "/api/v3/order":
            time.sleep(self.order_delay)
        headers = {f"X-MBX-USED-WEIGHT-{self._interval()[2]}": str(self.weight_used)}
        try:
            if refusal is not None:
                error, retry_after = refusal
                headers["Retry-After"] = str(retry_after)
                raise error
            if parts.path.startswith("/sapi/") or parts.path in self.SIGNED:
                self._authenticate(request, raw, params)
            status, body = 200, self._route(method, parts.path, params)
        except BinanceError as error:
            status, body = error.status, {"code": error.code, "msg": error.msg}
            with self._lock:
                self.refused.append((error.code, error.msg))
        payload = json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # le client a abandonné (délai dépassé)

    def _weigh(self, path: str) -> tuple[BinanceError, int] | None:
        """Compte le poids de la requête ; le refus (429 ou 418) et son Retry-After si la limite est franchie."""
        now = time.time()
        if now < self.banned_until:
            return self._banned(now)
        if now < self._backoff_until:
            if now - self._backoff_since < self.in_flight:  # partie avant que le client ne lise le 429
                return self._too_many(math.ceil(self._backoff_until - now), again=True)
            self.banned_until = now + self.ban_seconds  # un 429 lu et ignoré : bannissement
            return self._banned(now)
        window = int(now // self.weight_window)
        if window != self._window:
            self._window, self.weight_used = window, 0
        self.weight_used += WEIGHTS.get(path, 1)
        if self.weight_used <= self.weight_limit:
            return None
        return self._too_many(max(1, math.ceil((window + 1) * self.weight_window - now)))

    def _too_many(self, retry_after: int, again: bool = False) -> tuple[BinanceError, int]:
        if not again:
            self._backoff_since, self._backoff_until = time.time(), time.time() + retry_after
        interval, count, _ = self._interval()
        limit = f"{self.weight_limit} request weight per {count} {interval}"
        msg = f"Too much request weight used; current limit is {limit}."
        return BinanceError(429, -1003, msg), retry_after

    def _banned(self, now: float) -> tuple[BinanceError, int]:
        until = int(self.banned_until * 1000)
        return BinanceError(418, -1003, f"Way too much request weight used; IP banned until {until}."), math.ceil(
            self.banned_until - now
        )

    def _interval(self) -> tuple[str, int, str]:
        """La fenêtre de poids comme Binance la nomme : (« MINUTE », 1, « 1M ») ou (« SECOND », n, « nS »)."""
        if self.weight_window % 60 == 0:
            return "MINUTE", self.weight_window // 60, f"{self.weight_window // 60}M"
        return "SECOND", self.weight_window, f"{self.weight_window}S"

    def server_time(self) -> int:
        return int(time.time() * 1000) + self.clock_offset_ms

    SIGNED = {
        "/api/v3/account",
        "/api/v3/order",
        "/api/v3/openOrders",
        "/api/v3/myTrades",
        "/api/v3/orderList",
        "/api/v3/orderList/oco",
    }

    def _authenticate(self, request: BaseHTTPRequestHandler, raw: str, params: dict) -> None:
        if self.invalid_key or request.headers.get("X-MBX-APIKEY") != self.api_key:
            raise BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action.")
        payload, _, signature = raw.rpartition("&signature=")
        expected = hmac.new(self.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            raise BinanceError(400, -1022, "Signature for this request is not valid.")
        timestamp, now = int(params.get("timestamp", 0)), self.server_time()
        if timestamp >= now + 1000 or now - timestamp > int(params.get("recvWindow", self.recv_window_ms)):
            raise BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow.")

    def _route(self, method: str, path: str, params: dict):
        if path.startswith("/sapi/"):
            return []  # devises, marges : rien à déclarer
        routes = {
            ("GET", "/api/v3/ping"): lambda p: {},
            ("GET", "/api/v3/time"): lambda p: {"serverTime": self.server_time()},
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
            "serverTime": self.server_time(),
            "rateLimits": [
                {
                    "rateLimitType": "REQUEST_WEIGHT",
                    "interval": self._interval()[0],
                    "intervalNum": self._interval()[1],
                    "limit": self.weight_limit,
                },
                {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
            ],
            "exchangeFilters": [],
            "symbols": [self._announced(entry) for entry in self.symbols.values()],
        }

    def _announced(self, entry: dict) -> dict:
        if self.stop_orders:
            return entry
        kept = [t for t in entry["orderTypes"] if t not in ("STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT")]
        return {**entry, "orderTypes": kept, "ocoAllowed": False}

    def _account(self, params):
        balances = [{"asset": a, "free": _s(self._free(a)), "locked": _s(self._locked(a))} for a in self.balances]
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
        if kind not in self._announced(market)["orderTypes"]:
            raise BinanceError(400, -1013, "Order type not supported for this symbol.")
        if kind == "MARKET" and self.next_market_price is not None:
            self.prices[market["symbol"]], self.next_market_price = self.next_market_price, None
        price = self.prices[market["symbol"]]
        spend = self._quote_order_qty(market, kind, side, params)
        quantity = Decimal(params["quantity"]) if spend is None else self._bought_by(market, spend, price)
        limit = Decimal(params["price"]) if kind != "MARKET" else None
        stop = Decimal(params["stopPrice"]) if kind in ALGO_TYPES else None
        self._check_leg(market, kind, side, quantity, limit, stop)
        check_counts(market, self._open_of(market["symbol"]), 1, int(kind in ALGO_TYPES))
        if kind == "LIMIT_MAKER" and ((side == "BUY" and limit >= price) or (side == "SELL" and limit <= price)):
            raise BinanceError(400, -2010, "Order would immediately match and take.")
        quote_needed = spend if spend is not None else quantity * (limit or price) * (1 + FEE)
        asset = market["quoteAsset"] if side == "BUY" else market["baseAsset"]
        if self._free(asset) < (quote_needed if side == "BUY" else quantity):
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
            # Comme Binance : la commission d'un achat au montant est prise sur la base reçue (le montant est tout
            # ce qui est dépensé).
            base_fee = [(Decimal(1), quantity * FEE, market["baseAsset"])] if spend is not None else None
            self._fill(order, price, parts=self.fill_parts or base_fee)
        if self.lose_next_answer:
            status, code, msg = self.lose_next_answer
            self.lose_next_answer = None
            raise BinanceError(status, code, msg)
        return order

    def _quote_order_qty(self, market, kind, side, params) -> Decimal | None:
        """quoteOrderQty d'un achat au marché (montant en cotation, sans `quantity`) ; None pour un ordre en base."""
        if params.get("quoteOrderQty") is None:
            return None
        if kind != "MARKET" or side != "BUY" or "quantity" in params:
            raise BinanceError(400, -1106, "Parameter 'quoteOrderQty' sent when not required.")
        if not self._announced(market).get("quoteOrderQtyMarketAllowed"):
            raise BinanceError(400, -1013, "Quote order qty market orders are not support for this symbol.")
        return Decimal(params["quoteOrderQty"])

    def _bought_by(self, market, spend: Decimal, price: Decimal) -> Decimal:
        """La quantité qu'achète `spend` au prix d'exécution, tronquée au pas LOT_SIZE (jamais plus que `spend`)."""
        step = Decimal(_filter(market, "LOT_SIZE")["stepSize"])
        quantity = spend / price
        return (quantity / step).to_integral_value(rounding=ROUND_DOWN) * step if step else quantity

    def _check_leg(self, market, kind, side, quantity, limit, stop) -> None:
        """Les filtres d'un ordre (ou d'une jambe d'OCO), dans l'ordre où Binance les applique."""
        average = self.prices[market["symbol"]]  # prix moyen des dernières minutes : le prix courant ici
        check_quantity(market, quantity, market_order=kind == "MARKET")
        for value in (limit, stop):
            if value is not None:
                check_price(market, value)
        check_notional(market, quantity, limit or average, market_order=kind == "MARKET")
        if limit is not None:
            check_percent_price(market, side, limit, average)
        if stop is not None:
            check_trigger(kind, side, stop, average)

    def _open_of(self, symbol_id: str) -> list[dict]:
        return [o for o in self.orders.values() if o["symbol"] == symbol_id and o["status"] in OPEN]

    def _locked(self, asset: str) -> Decimal:
        """Comme Binance : un ordre ouvert bloque ce qu'il peut dépenser (une seule fois pour les jambes d'un OCO)."""
        locked, lists = Decimal(0), set()
        for order in self.orders.values():
            market = self.symbols.get(order["symbol"])
            if order["status"] not in OPEN or market is None or order["orderListId"] in lists:
                continue
            if order["orderListId"] != -1:
                lists.add(order["orderListId"])
            rest = Decimal(order["origQty"]) - Decimal(order["executedQty"])
            if order["side"] == "SELL" and market["baseAsset"] == asset:
                locked += rest
            elif order["side"] == "BUY" and market["quoteAsset"] == asset:
                locked += rest * Decimal(order["price"])
        return locked

    def _free(self, asset: str) -> Decimal:
        return self.balances.get(asset, [Decimal(0)])[0] - self._locked(asset)

    def fill_rest(self, order_id: int, price: Decimal) -> None:
        """Exécute le reste d'un ordre partiellement exécuté (une seconde exécution)."""
        with self._lock:
            order = self.orders[order_id]
            self._fill(order, price, Decimal(order["origQty"]) - Decimal(order["executedQty"]))

    def _fill(self, order: dict, price: Decimal, quantity: Decimal | None = None, parts=None) -> None:
        market = self.symbols[order["symbol"]]
        quantity = Decimal(order["origQty"]) * self.fill_ratio if quantity is None else quantity
        cost = quantity * price
        parts = parts or self.fill_parts or [(Decimal(1), cost * FEE, market["quoteAsset"])]
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
        if order["orderId"] in self.uncancellable:
            raise BinanceError(400, -1001, "Internal error; unable to process your request. Please try again.")
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
        if self.refuse_oco or not self._announced(market)["ocoAllowed"]:
            raise BinanceError(400, -1013, "OCO orders are not supported for this symbol.")
        if params.get("aboveType") != "LIMIT_MAKER" or params.get("belowType") not in ("STOP_LOSS_LIMIT", "STOP_LOSS"):
            raise BinanceError(
                400, -1102, "Mandatory parameter 'aboveType' was not sent, was empty/null, or malformed."
            )
        if params["side"] != "SELL":
            raise BinanceError(400, -1000, "Faux Binance : seuls les OCO de vente sont simulés.")
        quantity, last = Decimal(params["quantity"]), self.prices[market["symbol"]]
        above, below_stop = Decimal(params["abovePrice"]), Decimal(params["belowStopPrice"])
        self._check_leg(market, "LIMIT_MAKER", "SELL", quantity, above, None)
        below_limit = Decimal(params["belowPrice"]) if params["belowType"] == "STOP_LOSS_LIMIT" else None
        check_oco_prices(above, below_stop, last)
        self._check_leg(market, params["belowType"], "SELL", quantity, below_limit, below_stop)
        check_counts(market, self._open_of(market["symbol"]), 2, 1)
        if self._free(market["baseAsset"]) < quantity:
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
        """L'historique de `klines` s'il est fixé (startTime, endTime, limit respectés), sinon des bougies plates
        au prix courant, une par minute, les plus anciennes d'abord."""
        symbol = self._market(params["symbol"])["symbol"]
        price, limit = _s(self.prices[symbol]), min(int(params.get("limit", 500)), 1000)
        history = self.klines.get((symbol, params.get("interval", "1m")))
        if history is not None:
            start, end = int(params.get("startTime", 0)), int(params.get("endTime", 2**62))
            rows = [row for row in history if start <= row[0] <= end][:limit]
            return [[*row[:6], row[0] + 59_999, "0", 1, "0", "0", "0"] for row in rows]
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
