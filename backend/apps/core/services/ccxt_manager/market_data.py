"""Les données de marché de la porte : marchés, prix, bougies, pas et arrondis ; et leurs jumeaux synchrones."""

import asyncio
from collections.abc import Callable, Iterable
from decimal import Decimal

from apps.core.exceptions import ExchangeError, NotSupported
from apps.core.services.ccxt_manager.calls import read
from apps.core.services.ccxt_manager.instances import Instances, SyncInstances
from apps.core.services.ccxt_manager.loop import on_door
from apps.core.services.ccxt_manager.rules import amount_step_of, market_of, precision_of
from apps.core.services.exchange_data import Market, Ohlcv, Ticker, ohlcv_from, ticker_from

OHLCV_PAGE = 1000  # bougies par requête d'historique (le maximum de Binance)


class MarketData(Instances):
    @on_door
    async def markets(self, broker, *, reload: bool = False) -> dict:
        """Les marchés CCXT bruts de l'instance ; `reload` les redemande, sauf si l'instance vient de naître."""
        exchange, created = await self._instance(broker)
        if reload and not created:
            await read(exchange, broker, "load_markets", True)
        return exchange.markets

    @on_door
    async def market(self, broker, symbol: str) -> Market:
        """Le marché de `symbol` (« BTC/USDT », « BTCUSDT », « BINANCE:BTCUSDT ») ; ValidationError s'il est inconnu
        ou inactif."""
        exchange, _ = await self._instance(broker)
        return market_of(exchange, broker, symbol)

    @on_door
    async def ticker(self, broker, symbol: str) -> Ticker:
        return ticker_from(symbol, await self._call(broker, "fetch_ticker", symbol))

    @on_door
    async def last_price(self, broker, symbol: str) -> Decimal | None:
        return (await self.ticker(broker, symbol)).last

    @on_door
    async def last_prices(self, broker, symbols: Iterable[str]) -> dict[str, Decimal | None]:
        """Dernier prix de chaque paire, en parallèle ; None pour une paire dont l'exchange ne donne pas le prix."""
        symbols = list(symbols)
        results = await asyncio.gather(*(self.last_price(broker, s) for s in symbols), return_exceptions=True)
        prices = {}
        for symbol, result in zip(symbols, results):
            if isinstance(result, BaseException) and not isinstance(result, ExchangeError):
                raise result
            prices[symbol] = None if isinstance(result, ExchangeError) else result
        return prices

    @on_door
    async def amount_step(self, broker, symbol: str) -> Decimal | None:
        """Le pas de quantité du marché (0.00001 pour BTC/USDT sur Binance), None s'il n'est pas connu."""
        exchange, _ = await self._instance(broker)
        return amount_step_of(exchange, symbol)

    @on_door
    async def fetch_ohlcv(
        self,
        broker,
        symbol: str,
        timeframe: str,
        *,
        since_ms: int,
        until_ms: int,
        on_page: Callable[[int], None] | None = None,
    ) -> list[Ohlcv]:
        """Les bougies ouvertes dans [since_ms, until_ms[, dans l'ordre, page par page (OHLCV_PAGE) ; la limite
        de débit de l'exchange est tenue par CCXT (enableRateLimit), chaque page réessayée comme toute lecture.
        `on_page(atteint_ms)` est appelé sur la boucle de la porte après chaque page (il ne doit pas attendre).
        Lève NotSupported si l'exchange n'a pas d'historique de bougies."""
        exchange, _ = await self._instance(broker)
        if not (getattr(exchange, "has", None) or {}).get("fetchOHLCV"):
            raise NotSupported(getattr(exchange, "name", broker.exchange), "historique des bougies indisponible")
        step = exchange.parse_timeframe(timeframe) * 1000
        candles: list[Ohlcv] = []
        cursor = since_ms
        while cursor < until_ms:
            limit = min(OHLCV_PAGE, -(-(until_ms - cursor) // step))
            rows = await read(exchange, broker, "fetch_ohlcv", symbol, timeframe, cursor, limit)
            page = [ohlcv_from(row) for row in rows if cursor <= row[0] < until_ms]
            if not page:
                break
            candles.extend(page)
            cursor = page[-1].open_time_ms + step
            if on_page is not None:
                on_page(cursor)
        return candles

    @on_door
    async def to_precision(
        self, broker, symbol: str, amount, price=None, side: str | None = None
    ) -> tuple[Decimal, Decimal | None]:
        """(quantité tronquée, prix arrondi) selon les règles de précision CCXT du marché ; avec `side`, le prix
        limite est arrondi du côté sûr (achat vers le bas, vente vers le haut).

        Une quantité sous le pas du marché devient 0 (le service d'ordres la refuse avec le minimum) ;
        un prix qui s'arrondit à 0 lève OrderRejected.
        """
        exchange, _ = await self._instance(broker)
        return precision_of(exchange, broker, symbol, amount, price, side)


class SyncMarketData(SyncInstances):
    """Jumeaux synchrones de `MarketData` ; `market` et `to_precision` lisent les marchés déjà chargés dans le fil
    de l'appelant, sans passer par la boucle de la porte."""

    _door: MarketData

    def markets(self, broker, *, reload: bool = False) -> dict:
        return self._door.run(self._door.markets(broker, reload=reload))

    def market(self, broker, symbol: str) -> Market:
        exchange = self._door.loaded(broker)
        if exchange is not None:
            return market_of(exchange, broker, symbol)
        return self._door.run(self._door.market(broker, symbol))

    def ticker(self, broker, symbol: str) -> Ticker:
        return self._door.run(self._door.ticker(broker, symbol))

    def last_price(self, broker, symbol: str) -> Decimal | None:
        return self._door.run(self._door.last_price(broker, symbol))

    def last_prices(self, broker, symbols: Iterable[str]) -> dict[str, Decimal | None]:
        return self._door.run(self._door.last_prices(broker, symbols))

    def amount_step(self, broker, symbol: str) -> Decimal | None:
        return self._door.run(self._door.amount_step(broker, symbol))

    def fetch_ohlcv(
        self,
        broker,
        symbol: str,
        timeframe: str,
        *,
        since_ms: int,
        until_ms: int,
        on_page: Callable[[int], None] | None = None,
    ) -> list[Ohlcv]:
        coroutine = self._door.fetch_ohlcv(
            broker, symbol, timeframe, since_ms=since_ms, until_ms=until_ms, on_page=on_page
        )
        return self._door.run(coroutine)

    def to_precision(
        self, broker, symbol: str, amount, price=None, side: str | None = None
    ) -> tuple[Decimal, Decimal | None]:
        exchange = self._door.loaded(broker)
        if exchange is not None:
            return precision_of(exchange, broker, symbol, amount, price, side)
        return self._door.run(self._door.to_precision(broker, symbol, amount, price, side))
