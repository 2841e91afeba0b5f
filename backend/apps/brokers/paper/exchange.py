"""L'exchange paper : même interface asynchrone que CCXT, soldes et ordres en base, aucune connexion réseau.

Créé uniquement par la porte des exchanges (ccxt_manager), comme une instance CCXT.
"""

from datetime import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import ccxt
from channels.db import database_sync_to_async

from apps.brokers.models import PAPER, PaperOrder
from apps.brokers.paper import ledger
from apps.brokers.paper.markets import last_candle, paper_markets


def _ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z" if moment else None


def order_structure(order: PaperOrder) -> dict:
    """Un PaperOrder dans la forme d'ordre de CCXT (nombres en Decimal)."""
    return {
        "id": str(order.pk),
        "clientOrderId": order.client_order_id or None,
        "timestamp": _ms(order.created_at),
        "datetime": _iso(order.created_at),
        "lastTradeTimestamp": _ms(order.filled_at),
        "symbol": order.symbol,
        "type": order.type,
        "side": order.side,
        "price": order.average or order.price,
        "amount": order.amount,
        "filled": order.filled,
        "remaining": order.amount - order.filled,
        "cost": order.cost,
        "average": order.average,
        "status": order.status,
        "fee": {"cost": order.fee, "currency": order.fee_currency or None},
        "triggerPrice": order.trigger_price,
        "stopLossPrice": order.trigger_price if order.trigger_kind == "stop_loss" else None,
        "takeProfitPrice": order.trigger_price if order.trigger_kind == "take_profit" else None,
        "trades": [],
        "info": {},
    }


def trade_structure(order: PaperOrder) -> dict:
    return {
        "id": str(order.pk),
        "order": str(order.pk),
        "timestamp": _ms(order.filled_at),
        "datetime": _iso(order.filled_at),
        "symbol": order.symbol,
        "type": order.type,
        "side": order.side,
        "takerOrMaker": "taker",
        "price": order.average,
        "amount": order.filled,
        "cost": order.cost,
        "fee": {"cost": order.fee, "currency": order.fee_currency},
        "info": {},
    }


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class PaperExchange:
    id = PAPER
    name = "Paper"
    has = {"createStopLossOrder": True, "createTakeProfitOrder": True, "createMarketBuyOrderWithCost": True}

    def __init__(self, *, broker_id: int | None, starting_balance: Decimal):
        self.broker_id = broker_id
        self.starting_balance = starting_balance
        self.markets: dict[str, dict] = {}
        self.symbols: list[str] = []

    async def load_markets(self, reload: bool = False, params: dict | None = None) -> dict:
        if reload or not self.markets:
            self.markets = await database_sync_to_async(paper_markets)()
            self.symbols = sorted(self.markets)
        return self.markets

    def market(self, symbol: str) -> dict:
        if symbol not in self.markets:
            raise ccxt.BadSymbol(f"paper paire inconnue : {symbol}")
        return self.markets[symbol]

    def amount_to_precision(self, symbol: str, amount) -> str:
        """Comme CCXT : quantité tronquée au pas du marché ; InvalidOrder si elle devient nulle."""
        step = self.market(symbol)["precision"]["amount"]
        rounded = (_decimal(amount) / step).to_integral_value(rounding=ROUND_DOWN) * step
        if rounded <= 0:
            raise ccxt.InvalidOrder(f"paper quantité inférieure au pas {step} pour {symbol}")
        return format(rounded.normalize(), "f")

    def price_to_precision(self, symbol: str, price) -> str:
        """Comme CCXT : prix arrondi au pas de prix du marché ; InvalidOrder s'il devient nul."""
        step = self.market(symbol)["precision"]["price"]
        rounded = (_decimal(price) / step).to_integral_value(rounding=ROUND_HALF_UP) * step
        if rounded <= 0:
            raise ccxt.InvalidOrder(f"paper prix inférieur au pas {step} pour {symbol}")
        return format(rounded.normalize(), "f")

    def _saved(self) -> int:
        if self.broker_id is None:
            raise ccxt.ExchangeError("paper enregistrez d'abord le broker")
        return self.broker_id

    @database_sync_to_async
    def _sync(self) -> None:
        """Solde de départ au premier usage, puis exécution des ordres franchis depuis le dernier appel."""
        ledger.ensure_balances(self._saved(), self.starting_balance)
        ledger.settle_open_orders(self._saved())

    async def fetch_balance(self, params: dict | None = None) -> dict:
        if self.broker_id is None:
            rows = [("USDT", self.starting_balance, Decimal("0"))]
        else:
            await self._sync()
            rows = [(b.currency, b.free, b.used) for b in await database_sync_to_async(ledger.balances)(self.broker_id)]
        result = {"info": {}, "free": {}, "used": {}, "total": {}}
        for currency, free, used in rows:
            result[currency] = {"free": free, "used": used, "total": free + used}
            result["free"][currency], result["used"][currency], result["total"][currency] = free, used, free + used
        return result

    async def fetch_ticker(self, symbol: str, params: dict | None = None) -> dict:
        self.market(symbol)
        candle = await database_sync_to_async(last_candle)(symbol)
        if candle is None:
            raise ccxt.ExchangeNotAvailable(f"paper aucun prix connu pour {symbol} (aucune bougie enregistrée)")
        return {
            "symbol": symbol,
            "timestamp": _ms(candle.close_time),
            "datetime": _iso(candle.close_time),
            "last": candle.close,
            "close": candle.close,
            "bid": candle.close,
            "ask": candle.close,
            "high": candle.high,
            "low": candle.low,
            "open": candle.open,
            "baseVolume": candle.volume,
            "info": {},
        }

    async def create_order(
        self, symbol: str, type: str, side: str, amount, price=None, params: dict | None = None
    ) -> dict:
        """Ordre market/limit ; params stopLossPrice, takeProfitPrice ou triggerPrice pour un ordre déclenché."""
        params = params or {}
        kind, trigger = "", None
        for key, name in (
            ("stopLossPrice", "stop_loss"),
            ("takeProfitPrice", "take_profit"),
            ("triggerPrice", "stop_loss"),
        ):
            if params.get(key) is not None:
                kind, trigger = name, _decimal(params[key])
                break
        market = self.market(symbol)
        broker_id = self._saved()
        await self._sync()
        order = await database_sync_to_async(ledger.place_order)(
            broker_id=broker_id,
            market=market,
            type=type,
            side=side,
            amount=_decimal(amount),
            price=_decimal(price),
            trigger_kind=kind,
            trigger_price=trigger,
            client_order_id=params.get("clientOrderId") or "",
        )
        return order_structure(order)

    async def create_market_buy_order_with_cost(self, symbol: str, cost, params: dict | None = None) -> dict:
        """Achat au marché pour `cost` en cotation, jamais plus (comme quoteOrderQty de Binance)."""
        market = self.market(symbol)
        broker_id = self._saved()
        await self._sync()
        order = await database_sync_to_async(ledger.place_order)(
            broker_id=broker_id,
            market=market,
            type="market",
            side="buy",
            amount=None,
            price=None,
            cost=_decimal(cost),
            client_order_id=(params or {}).get("clientOrderId") or "",
        )
        return order_structure(order)

    async def create_stop_loss_order(self, symbol, type, side, amount, price=None, stopLossPrice=None, params=None):
        return await self.create_order(
            symbol, type, side, amount, price, {**(params or {}), "stopLossPrice": stopLossPrice}
        )

    async def create_take_profit_order(self, symbol, type, side, amount, price=None, takeProfitPrice=None, params=None):
        return await self.create_order(
            symbol, type, side, amount, price, {**(params or {}), "takeProfitPrice": takeProfitPrice}
        )

    async def create_oco_order(self, request: dict) -> dict:
        """OCO de vente, dans la forme de la requête Binance orderList/oco ; réponse : orderListId, orderReports."""
        market = next((m for m in self.markets.values() if m["id"] == request["symbol"]), None)
        if market is None:
            raise ccxt.BadSymbol(f"paper paire inconnue : {request['symbol']}")
        broker_id = self._saved()
        await self._sync()
        take, stop = await database_sync_to_async(ledger.place_oco)(
            broker_id=broker_id,
            market=market,
            amount=_decimal(request["quantity"]),
            take_profit=_decimal(request["abovePrice"]),
            stop_price=_decimal(request["belowStopPrice"]),
            stop_limit=_decimal(request["belowPrice"]),
            list_id=request["listClientOrderId"],
            take_profit_client_id=request["aboveClientOrderId"],
            stop_loss_client_id=request["belowClientOrderId"],
        )
        return {
            "orderListId": request["listClientOrderId"],
            "orderReports": [order_structure(stop), order_structure(take)],
        }

    async def fetch_order(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """Par identifiant, ou par identifiant client (params clientOrderId) comme Binance."""
        await self._sync()
        client_id = (params or {}).get("clientOrderId")
        return order_structure(await database_sync_to_async(ledger.get_order)(self._saved(), id, client_id))

    async def fetch_open_orders(self, symbol=None, since=None, limit=None, params=None) -> list[dict]:
        await self._sync()
        found = await database_sync_to_async(ledger.orders)(self._saved(), symbol=symbol, status=PaperOrder.Status.OPEN)
        return [order_structure(o) for o in found][-limit if limit else None :]

    async def cancel_order(self, id: str, symbol: str | None = None, params: dict | None = None) -> dict:
        await self._sync()
        return order_structure(await database_sync_to_async(ledger.cancel_order)(self._saved(), id))

    async def fetch_my_trades(self, symbol=None, since=None, limit=None, params=None) -> list[dict]:
        await self._sync()
        found = await database_sync_to_async(ledger.orders)(
            self._saved(), symbol=symbol, status=PaperOrder.Status.CLOSED
        )
        trades = [trade_structure(o) for o in found if since is None or _ms(o.filled_at) >= since]
        return trades[-limit if limit else None :]

    async def close(self) -> None:
        """Rien à fermer : pas de connexion réseau."""
