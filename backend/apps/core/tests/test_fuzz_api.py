"""Chaque route /api/ de l'URLconf reçoit des entrées fausses (types, champs manquants, textes énormes, JSON
imbriqué, nombres extrêmes, unicode, NUL, non-JSON), comme alice et comme anonyme : jamais de 5xx, jamais de
trace dans le journal. Corpus fait main, déterministe ; une route sans champs déclarés ici fait échouer le test."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from apps.backtest.models import BacktestRun
from apps.brokers.models import Broker
from apps.orders.models import Position, Trade
from apps.strategies.models import Strategy
from apps.trading_engine.models import STOPPED_DATE
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for
from testing.activations import activate
from testing.asgi_client import asgi_post

pytestmark = pytest.mark.django_db(transaction=True)  # la porte des exchanges lit la base depuis son fil

METHODS = ("get", "post", "put", "patch", "delete")
BROKER_FIELDS = {
    "name": "Fuzz",
    "exchange": "paper",
    "description": "",
    "api_key": "",
    "api_secret": "",
    "api_password": "",
    "is_testnet": False,
    "is_default": False,
    "paper_starting_balance": "10000",
}
SIGNAL_FIELDS = {
    "action": "buy",
    "symbol": "BTCUSDT",
    "broker": "Démo",
    "quantity": "0.001",
    "order_type": "market",
    "price": None,
    "stop_loss": None,
    "take_profit": None,
    "comment": "",
    "id": "fuzz-1",
}
# Champs du corps de chaque route (valeurs plausibles : chaque essai en fausse un seul).
BODIES = {
    "api/auth/login/": {"username": "alice", "password": "mauvais"},
    "api/auth/logout/": {},
    "api/auth/dev/act-as/": {"user_id": 1},
    "api/auth/change-password/": {"old_password": "mauvais", "new_password": "nouveau-mot-de-passe-42"},
    "api/accounts/preferences/": {
        "theme": "dark",
        "display_timezone": "UTC",
        "testnet_mode": False,
        "ai_openrouter_enabled": False,
        "ai_openrouter_key": "",
        "ai_ollama_enabled": False,
        "ai_ollama_url": "http://localhost:11434",
        "default_broker": None,
    },
    "api/brokers/": BROKER_FIELDS,
    "api/brokers/<int:pk>/": BROKER_FIELDS,
    "api/brokers/test/": {"id": None, **BROKER_FIELDS},
    "api/brokers/<int:pk>/reveal/": {"password": ""},
    "api/brokers/<int:pk>/test/": {},
    "api/brokers/<int:pk>/reload-markets/": {},
    "api/brokers/<int:pk>/risk/": {
        "max_daily_loss": "100",
        "max_daily_loss_pct": None,
        "max_drawdown_pct": "10",
        "max_exposure": None,
        "max_symbol_exposure": None,
        "max_open_positions": 3,
        "cooldown_losses": None,
        "cooldown_minutes": None,
        "cooldown_scope": "account",
    },
    "api/heartbeat/config/": {"symbols": ["BTC/USDT"]},
    "api/trading/orders/": {
        "broker": 0,
        "symbol": "BTC/USDT",
        "side": "buy",
        "order_type": "market",
        "quantity": "0.001",
        "amount": None,
        "percent": None,
        "price": None,
        "stop_loss": None,
        "take_profit": None,
        "client_order_id": "fuzz-1",
        "override_limits": False,
    },
    "api/trading/orders/<int:pk>/cancel/": {},
    "api/trading/orders/<int:pk>/refresh/": {},
    "api/positions/<int:pk>/close/": {},
    "api/webhooks/token/": {"tradingview_only": False},
    "api/webhooks/token/regenerate/": {},
    "api/strategies/": {"name": "Fuzz", "description": "", "code": "x = 1", "timeframe": "15m"},
    "api/strategies/<int:pk>/": {"name": "Fuzz", "description": "", "code": "x = 1", "timeframe": "15m"},
    "api/strategies/validate/": {"code": "x = 1", "timeframe": "15m"},
    "api/strategies/<int:pk>/test/": {},
    "api/strategies/assistant/": {"request": "Ajoute un stop", "code": "x = 1", "errors": []},
    "api/backtests/": {
        "strategy": 1,
        "broker": 1,
        "symbol": "BTC/USDT",
        "timeframe": "5m",
        "start": "2024-01-01T00:00:00Z",
        "end": "2024-01-02T00:00:00Z",
        "initial_amount": "10000",
        "fee": "0.001",
        "allow_gaps": False,
    },
    "api/backtests/<int:pk>/": {},
    "api/backtests/<int:pk>/cancel/": {},
    "api/active-strategies/": {
        "strategy": 0,
        "broker": 0,
        "symbol": "BTC/USDT",
        "timeframe": "1m",
        "start_date": "2026-01-01T00:00:00Z",
        "end_date": "2099-01-01T00:00:00Z",
        "initial_amount": "100",
    },
    "api/active-strategies/<int:pk>/": {"end_date": "2099-01-01T00:00:00Z", "initial_amount": "100"},
    "api/active-strategies/<int:pk>/sell/": {},
    "api/active-strategies/<int:pk>/stop/": {"sell": False},
    "api/active-strategies/<int:pk>/suspend/": {},
    "api/active-strategies/<int:pk>/resume/": {},
    "api/active-strategies/<int:pk>/switch-version/": {},
    "api/alerts/read/": {"ids": [1]},
    "api/alerts/settings/": {"channels": {"order_filled": ["app", "telegram"]}, "email": "a@example.com"},
    "api/alerts/settings/telegram-code/": {},
    "api/alerts/settings/telegram-unlink/": {},
    "api/alerts/test/": {"channel": "telegram"},
    "api/panic/": {"broker": None},
    "api/panic/resume/": {"broker": None},
}
# Paramètres de requête lus par les routes GET.
QUERIES = {
    "api/markets/": ["exchange", "quote", "search", "page", "page_size"],
    "api/trading/orders/": ["broker", "symbol", "source", "status", "page", "page_size"],
    "api/positions/": ["status", "broker", "symbol", "source", "page"],
    "api/positions/marks/": ["broker", "source"],
    "api/trading/brokers/<int:pk>/ticker/": ["symbol"],
    "api/webhooks/": ["page"],
    "api/stats/balance/": ["broker", "from", "to", "interval"],
    "api/stats/summary/": ["broker", "from", "to", "source"],
    "api/stats/strategies/": ["broker", "from", "to", "source"],
    "api/stats/webhooks/": ["broker", "from", "to", "source"],
    "api/stats/trades.csv": ["broker", "from", "to", "source"],
    "api/schema/": ["format", "lang"],
    "api/panic/preview/": ["broker"],
}
# Valeurs fausses, en texte JSON : la plupart ne sont pas du JSON que Python sait écrire (1e309, NaN…).
BAD_VALUES = [
    "null",
    "true",
    "0",
    "-1",
    "1.5",
    "-0.0",
    '""',
    '"abc"',
    '"-5"',
    '"1e5"',
    '"NaN"',
    '"Infinity"',
    json.dumps("x" * 20_000),
    json.dumps("é🚀\u200b\u202e"),
    '"a\\u0000b"',
    '"\\ud800"',
    "[]",
    "{}",
    '[1, "2", null]',
    '{"a": {"b": [1]}}',
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "9" * 5000,
    "1e300",
    "12345678901234567890",
    "9223372036854775807",
    '"' + "9" * 400 + '"',
    "[" * 40 + "]" * 40,
]
BAD_BODIES = [
    b"",
    b"null",
    b"[]",
    b"42",
    b'"texte"',
    b"{",
    b"pas du json",
    b"\xff\xfe\x00",
    b"[" * 50_000,
    b'{"a":' * 3000,
    json.dumps({"x": "y" * 1_000_000}).encode(),
    b'{"a": 1, "a": 2}',
    b"\x00",
]
BAD_QUERY_VALUES = [
    "",
    "abc",
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "x" * 5000,
    "\x00",
    "é🚀",
    "' OR 1=1 --",
    "%00",
]
BAD_TOKENS = ["x", "a" * 5000, "é🚀", "..", "%00"]
ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def api_routes(patterns=None, prefix=""):
    """(route, classe de vue) de chaque URL de l'URLconf sous api/."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from api_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            view = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
            if route.startswith("api/") and view is not None:
                yield route, view


@pytest.fixture
def world(alice, bob, paper_broker, candle):
    candle("50000")
    bobs = Broker.objects.create(user=bob, name="Bob", exchange="paper")
    trade = Trade.objects.create(
        user=alice,
        broker=paper_broker,
        source="manual",
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        quantity="0.001",
        price="40000",
        status="open",
        client_order_id="fuzz-trade",
    )
    position = Position.objects.create(
        user=alice, broker=paper_broker, symbol="BTC/USDT", source="manual", status="open", quantity="0.001"
    )
    webhook = Webhook.objects.create(user=alice, body=b"{}", body_sha256="0" * 64)
    strategy = Strategy.objects.create(user=alice, name="Fuzz", code="x = 1", timeframe="15m")
    backtest = BacktestRun.objects.create(
        user=alice,
        strategy=strategy,
        strategy_name="Fuzz",
        code="x = 1",
        broker=paper_broker,
        broker_name="Démo",
        exchange="paper",
        symbol="BTC/USDT",
        timeframe="5m",
        start="2024-01-01T00:00:00Z",
        end="2024-01-02T00:00:00Z",
        initial_amount="10000",
        status="done",
    )
    activation = activate(
        alice,
        strategy,
        paper_broker,
        timeframe="15m",
        amount="100",
        current_balance=0,
        start_date=STOPPED_DATE,
        end_date=STOPPED_DATE,
        is_active=False,
        state="stopped",
    )
    return {
        "activations": [activation.pk],
        "brokers": [paper_broker.pk, bobs.pk],
        "trades": [trade.pk],
        "positions": [position.pk],
        "webhooks": [webhook.pk],
        "strategies": [strategy.pk],
        "backtests": [backtest.pk],
        "alice": alice,
    }


def _ids(route: str, world) -> list[int]:
    kind = (
        "trades"
        if "orders/" in route
        else "positions"
        if route.startswith("api/positions/")
        else "webhooks"
        if route.startswith("api/webhooks/")
        else "strategies"
        if route.startswith("api/strategies/")
        else "backtests"
        if route.startswith("api/backtests/")
        else "activations"
        if route.startswith("api/active-strategies/")
        else "brokers"
    )
    return [*world[kind], 0, 99999999999999999999]


def _paths(route: str, world) -> list[str]:
    if "<str:token>" in route:
        return [route.replace("<str:token>", token) for token in [token_for(world["alice"]).token, *BAD_TOKENS]]
    if "<int:pk>" in route:
        return [route.replace("<int:pk>", str(pk)) for pk in _ids(route, world)]
    assert not ROUTE_PARAM.search(route), f"paramètre d'URL sans valeurs de test : {route}"
    return [route]


def _with(fields: dict, name: str, raw: str | None) -> bytes:
    """Le corps JSON de `fields`, où `name` vaut le texte JSON `raw` (None : champ absent)."""
    parts = [
        f"{json.dumps(key)}: {raw if key == name else json.dumps(value)}"
        for key, value in fields.items()
        if not (key == name and raw is None)
    ]
    return ("{" + ", ".join(parts) + "}").encode()


def _bodies(fields: dict):
    yield json.dumps(fields).encode(), "application/json"
    for body in BAD_BODIES:
        yield body, "application/json"
    yield json.dumps(fields).encode(), "text/plain"
    yield b"a=1&b=2", "application/x-www-form-urlencoded"
    yield b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n", "multipart/form-data; boundary=x"
    for name in fields:
        yield _with(fields, name, None), "application/json"
        for raw in BAD_VALUES:
            yield _with(fields, name, raw), "application/json"


def _requests(route: str, view, world, full: bool):
    """(méthode, chemin, corps, type, paramètres) à envoyer ; toutes les variantes pour alice (`full`) et pour les
    routes ouvertes à l'anonyme (connexion, réception TradingView)."""
    full = full or AllowAny in getattr(view, "permission_classes", [])
    methods = [m for m in METHODS if hasattr(view, m)]
    for method in sorted(methods, key=lambda m: m == "delete"):
        for path in _paths(route, world):
            url = "/" + path
            if method == "get":
                yield method, url, None, None, {}
                for name in QUERIES.get(route, []) if full else []:
                    for value in BAD_QUERY_VALUES:
                        yield method, url, None, None, {name: value}
                continue
            assert route in BODIES, f"{method.upper()} {route} : champs du corps à déclarer dans BODIES"
            if not full or path != _paths(route, world)[0]:
                yield method, url, json.dumps(BODIES[route]).encode(), "application/json", {}
                yield method, url, b"[" * 50_000, "application/json", {}
                continue
            for body, content_type in _bodies(BODIES[route]):
                yield method, url, body, content_type, {}


def _fuzz(client, world, full: bool) -> tuple[int, list[str]]:
    sent, errors = 0, []
    routes = sorted(api_routes(), key=lambda item: item[0] == "api/webhooks/token/regenerate/")
    for route, view in routes:
        for method, url, body, content_type, query in _requests(route, view, world, full):
            if method == "get":
                response = client.get(url, query)
            else:
                response = client.generic(method.upper(), url, body, content_type=content_type)
            sent += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {method.upper()} {url} {query} {(body or b'')[:120]!r}")
    return sent, errors


def test_every_route_is_declared():
    declared = set(BODIES) | set(QUERIES)
    routes = {route for route, _ in api_routes()}
    assert routes >= declared, f"routes disparues : {declared - routes}"
    assert len(routes) >= 24


def test_the_tradingview_receiver_never_answers_5xx_nor_logs_a_traceback(world, prod_mode, console_log, caplog):
    """L'URL TradingView est servie par son consumer, avant Django : même corpus, à travers l'application ASGI."""
    from apps.webhooks.services.tokens import token_for

    token = token_for(world["alice"]).token
    sent, errors = 0, []
    for url in (f"/api/webhooks/tradingview/{token}/", "/api/webhooks/tradingview/inconnu/"):
        for body, content_type in _bodies(SIGNAL_FIELDS):
            response = asgi_post(url, body, content_type)
            sent += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {url} {body[:120]!r}")
    assert sent > 100 and not errors, "\n".join(errors)
    logged = console_log.getvalue() + caplog.text
    assert "Traceback" not in logged


@pytest.mark.parametrize("who", ["alice", "anonymous"])
def test_no_route_answers_5xx_or_logs_a_traceback(who, world, prod_mode, console_log, caplog):
    client = APIClient(raise_request_exception=False)
    if who == "alice":
        client.force_authenticate(world["alice"])
    sent, errors = _fuzz(client, world, full=who == "alice")
    # L'anonyme n'a plus ici que la connexion : la réception TradingView a son propre test (consumer ASGI).
    assert sent > (2000 if who == "alice" else 200)
    assert not errors, "\n".join(errors)
    logged = console_log.getvalue() + caplog.text
    assert "Traceback" not in logged
    assert "Internal Server Error" not in logged


ADMIN_QUERIES = [
    {"q": "x" * 5000},
    {"q": "é🚀"},
    {"o": "abc"},
    {"o": "-99"},
    {"p": "99999999999999999999"},
    {"p": "-1"},
    {"id__gt": "abc"},
    {"inconnu": "1"},
    {"all": ""},
    {"e": "1"},
]
ADMIN_IDS = ["0", "abc", "99999999999999999999", "-1", "1.5", "é"]


def test_admin_pages_never_answer_5xx(admin_client, world, console_log):
    from django.contrib import admin

    admin_client.raise_request_exception = False
    errors, sent = [], 0
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        requests = [("get", base, params) for params in ADMIN_QUERIES]
        requests += [("get", f"{base}{pk}/change/", {}) for pk in ADMIN_IDS]
        requests += [("post", f"{base}add/", {}), ("post", f"{base}add/", {"user": "abc", "name": "x" * 5000})]
        for method, url, data in requests:
            response = getattr(admin_client, method)(url, data)
            sent += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {method.upper()} {url} {data}")
    assert sent > 100
    assert not errors, "\n".join(errors)
    assert "Traceback" not in console_log.getvalue()
