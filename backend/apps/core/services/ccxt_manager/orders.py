"""Les ordres par la porte : envoi (jamais réessayé), protections (stop-loss, take-profit, OCO), lecture,
annulation, exécutions ; et leurs jumeaux synchrones."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from apps.core.exceptions import OrderRejected, OutcomeUnknown
from apps.core.services.ccxt_manager.calls import invoke
from apps.core.services.ccxt_manager.instances import Instances, SyncInstances
from apps.core.services.ccxt_manager.loop import on_door
from apps.core.services.ccxt_manager.rules import check_protection, text
from apps.core.services.exchange_data import Fill, Order, fill_from, order_from
from apps.core.symbols import find_market

# Exchanges qui filtrent fetch_my_trades par ordre (Binance refuse orderId avec startTime) ; les autres : since.
FILLS_BY_ORDER_ID = frozenset({"binance", "binanceus", "paper"})
# Exchanges dont la porte sait poser un OCO spot (Binance : POST /api/v3/orderList/oco, route brute de CCXT).
OCO_EXCHANGES = frozenset({"binance", "binanceus", "paper"})


@dataclass(frozen=True)
class ProtectionSupport:
    """Ce que l'exchange sait tenir lui-même pour protéger une position spot sur une paire."""

    oco: bool
    stop_loss: bool
    take_profit: bool


@dataclass(frozen=True)
class OcoOrder:
    """Un OCO posé : identifiant de la liste et ses deux jambes (take-profit limite, stop-loss limite)."""

    list_id: str
    take_profit: Order
    stop_loss: Order


class Orders(Instances):
    @on_door
    async def create_order(
        self,
        broker,
        *,
        symbol: str,
        type: str,
        side: str,
        amount: Decimal,
        price: Decimal | None = None,
        client_order_id: str | None = None,
        params: dict | None = None,
    ) -> Order:
        """Envoie un ordre (jamais réessayé : une réponse perdue ne dit pas s'il est parti)."""
        extra = {**(params or {}), **({"clientOrderId": client_order_id} if client_order_id else {})}
        price_text = None if price is None else text(price)
        return order_from(
            await self._call(broker, "create_order", symbol, type, side, format(amount, "f"), price_text, extra)
        )

    @on_door
    async def create_market_buy_with_cost(self, broker, *, symbol: str, cost: Decimal, client_order_id: str) -> Order:
        """Achat au marché pour `cost` en devise de cotation, jamais plus (Binance : quoteOrderQty) : la quantité est
        celle que ce montant achète au prix d'exécution. OrderRejected, sans envoi, si l'exchange ne le sait pas."""
        exchange, _ = await self._instance(broker)
        if not (getattr(exchange, "has", {}) or {}).get("createMarketBuyOrderWithCost"):
            raise OrderRejected(
                exchange.name, "achat au marché pour un montant non pris en charge (non envoyé) : indiquez une quantité"
            )
        params = {"clientOrderId": client_order_id}
        return order_from(await self._call(broker, "create_market_buy_order_with_cost", symbol, text(cost), params))

    @on_door
    async def protection_support(self, broker, symbol: str) -> ProtectionSupport:
        """OCO, stop-loss limite et take-profit limite sur le spot de `symbol` : drapeaux `has` de CCXT et, pour
        Binance, types d'ordres et ocoAllowed du marché (exchangeInfo)."""
        exchange, _ = await self._instance(broker)
        raw = find_market(exchange.markets, symbol) or {}
        info = raw.get("info") or {}
        types = info.get("orderTypes")
        has = getattr(exchange, "has", {}) or {}

        def offered(flag: str, order_type: str) -> bool:
            return bool(has.get(flag)) and (types is None or order_type in types)

        return ProtectionSupport(
            oco=exchange.id in OCO_EXCHANGES and info.get("ocoAllowed", exchange.id == "paper") is True,
            stop_loss=offered("createStopLossOrder", "STOP_LOSS_LIMIT"),
            take_profit=offered("createTakeProfitOrder", "TAKE_PROFIT_LIMIT"),
        )

    @on_door
    async def create_stop_loss_order(
        self, broker, *, symbol: str, amount: Decimal, stop_price: Decimal, limit_price: Decimal, client_order_id: str
    ) -> Order:
        """Vente stop-loss limite (Binance : STOP_LOSS_LIMIT, stopPrice = déclencheur, price = limite)."""
        exchange, _ = await self._instance(broker)
        await check_protection(exchange, broker, symbol, amount, (stop_price, limit_price))
        params = {"stopLossPrice": text(stop_price), "clientOrderId": client_order_id}
        return order_from(
            await self._call(broker, "create_order", symbol, "limit", "sell", text(amount), text(limit_price), params)
        )

    @on_door
    async def create_take_profit_order(
        self, broker, *, symbol: str, amount: Decimal, price: Decimal, client_order_id: str
    ) -> Order:
        """Vente take-profit limite (Binance : TAKE_PROFIT_LIMIT, déclencheur = limite = `price`)."""
        exchange, _ = await self._instance(broker)
        await check_protection(exchange, broker, symbol, amount, (price,))
        params = {"takeProfitPrice": text(price), "clientOrderId": client_order_id}
        return order_from(
            await self._call(broker, "create_order", symbol, "limit", "sell", text(amount), text(price), params)
        )

    @on_door
    async def create_oco_order(
        self,
        broker,
        *,
        symbol: str,
        amount: Decimal,
        take_profit: Decimal,
        stop_price: Decimal,
        stop_limit: Decimal,
        list_client_id: str,
        take_profit_client_id: str,
        stop_loss_client_id: str,
    ) -> OcoOrder:
        """OCO de vente : take-profit LIMIT_MAKER au-dessus, STOP_LOSS_LIMIT au-dessous (jamais réessayé).

        Binance : route brute POST /api/v3/orderList/oco de CCXT (pas d'OCO unifié) ; paper : sa méthode à lui.
        """
        exchange, _ = await self._instance(broker)
        await check_protection(exchange, broker, symbol, amount, (take_profit, stop_price, stop_limit))
        request = {
            "symbol": exchange.market(symbol)["id"],
            "side": "SELL",
            "quantity": text(amount),
            "listClientOrderId": list_client_id,
            "aboveType": "LIMIT_MAKER",
            "abovePrice": text(take_profit),
            "aboveClientOrderId": take_profit_client_id,
            "belowType": "STOP_LOSS_LIMIT",
            "belowStopPrice": text(stop_price),
            "belowPrice": text(stop_limit),
            "belowTimeInForce": "GTC",
            "belowClientOrderId": stop_loss_client_id,
            "newOrderRespType": "FULL",
        }
        method = "create_oco_order" if exchange.id == "paper" else "privatePostOrderListOco"
        answer = await invoke(exchange, broker, method, request)
        market = exchange.market(symbol)
        legs = {
            report.get("clientOrderId"): order_from(
                report if exchange.id == "paper" else exchange.parse_order(report, market)
            )
            for report in answer.get("orderReports") or []
        }
        if take_profit_client_id not in legs or stop_loss_client_id not in legs:
            raise OutcomeUnknown(exchange.name, "réponse OCO sans ses deux ordres")
        return OcoOrder(str(answer.get("orderListId") or ""), legs[take_profit_client_id], legs[stop_loss_client_id])

    @on_door
    async def fetch_order(
        self, broker, *, symbol: str, order_id: str | None = None, client_order_id: str | None = None
    ) -> Order:
        """Un ordre par son identifiant d'exchange, ou par son identifiant client."""
        params = {} if order_id else {"clientOrderId": client_order_id}
        return order_from(await self._call(broker, "fetch_order", order_id or None, symbol, params))

    @on_door
    async def cancel_order(self, broker, *, symbol: str, order_id: str) -> Order:
        return order_from(await self._call(broker, "cancel_order", order_id, symbol))

    @on_door
    async def order_fills(self, broker, *, symbol: str, order_id: str, since: datetime | None = None) -> list[Fill]:
        """Les exécutions d'un seul ordre (fetch_my_trades demandé pour cet ordre : orderId, since)."""
        if broker.exchange in FILLS_BY_ORDER_ID:
            raw = await self._call(broker, "fetch_my_trades", symbol, None, None, {"orderId": order_id})
        else:
            since_ms = int(since.timestamp() * 1000) if since else None
            raw = await self._call(broker, "fetch_my_trades", symbol, since_ms)
        return [fill for fill in map(fill_from, raw) if fill.order_id == order_id]


class SyncOrders(SyncInstances):
    """Jumeaux synchrones d'`Orders`."""

    _door: Orders

    def create_order(
        self,
        broker,
        *,
        symbol: str,
        type: str,
        side: str,
        amount: Decimal,
        price: Decimal | None = None,
        client_order_id: str | None = None,
        params: dict | None = None,
    ) -> Order:
        coroutine = self._door.create_order(
            broker,
            symbol=symbol,
            type=type,
            side=side,
            amount=amount,
            price=price,
            client_order_id=client_order_id,
            params=params,
        )
        return self._door.run(coroutine)

    def create_market_buy_with_cost(self, broker, *, symbol: str, cost: Decimal, client_order_id: str) -> Order:
        coroutine = self._door.create_market_buy_with_cost(
            broker, symbol=symbol, cost=cost, client_order_id=client_order_id
        )
        return self._door.run(coroutine)

    def protection_support(self, broker, symbol: str) -> ProtectionSupport:
        return self._door.run(self._door.protection_support(broker, symbol))

    def create_stop_loss_order(
        self, broker, *, symbol: str, amount: Decimal, stop_price: Decimal, limit_price: Decimal, client_order_id: str
    ) -> Order:
        coroutine = self._door.create_stop_loss_order(
            broker,
            symbol=symbol,
            amount=amount,
            stop_price=stop_price,
            limit_price=limit_price,
            client_order_id=client_order_id,
        )
        return self._door.run(coroutine)

    def create_take_profit_order(
        self, broker, *, symbol: str, amount: Decimal, price: Decimal, client_order_id: str
    ) -> Order:
        coroutine = self._door.create_take_profit_order(
            broker, symbol=symbol, amount=amount, price=price, client_order_id=client_order_id
        )
        return self._door.run(coroutine)

    def create_oco_order(
        self,
        broker,
        *,
        symbol: str,
        amount: Decimal,
        take_profit: Decimal,
        stop_price: Decimal,
        stop_limit: Decimal,
        list_client_id: str,
        take_profit_client_id: str,
        stop_loss_client_id: str,
    ) -> OcoOrder:
        coroutine = self._door.create_oco_order(
            broker,
            symbol=symbol,
            amount=amount,
            take_profit=take_profit,
            stop_price=stop_price,
            stop_limit=stop_limit,
            list_client_id=list_client_id,
            take_profit_client_id=take_profit_client_id,
            stop_loss_client_id=stop_loss_client_id,
        )
        return self._door.run(coroutine)

    def fetch_order(
        self, broker, *, symbol: str, order_id: str | None = None, client_order_id: str | None = None
    ) -> Order:
        coroutine = self._door.fetch_order(broker, symbol=symbol, order_id=order_id, client_order_id=client_order_id)
        return self._door.run(coroutine)

    def cancel_order(self, broker, *, symbol: str, order_id: str) -> Order:
        return self._door.run(self._door.cancel_order(broker, symbol=symbol, order_id=order_id))

    def order_fills(self, broker, *, symbol: str, order_id: str, since: datetime | None = None) -> list[Fill]:
        return self._door.run(self._door.order_fills(broker, symbol=symbol, order_id=order_id, since=since))
