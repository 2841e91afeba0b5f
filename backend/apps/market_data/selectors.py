from django.db.models import QuerySet

from apps.market_data.models import Candle, Market


def markets_list(*, exchange: str = "", quote: str = "", search: str = "") -> QuerySet[Market]:
    """Paires filtrées (exchange exact, devise de cotation exacte, recherche dans le symbole), actives d'abord."""
    queryset = Market.objects.all()
    if exchange:
        queryset = queryset.filter(exchange=exchange)
    if quote:
        queryset = queryset.filter(quote=quote.upper())
    if search:
        queryset = queryset.filter(symbol__icontains=search.strip())
    return queryset.order_by("-active", "exchange", "symbol")


def latest_candles(*, exchange: str, symbols: list[str], timeframes: list[str]) -> list[Candle]:
    """La dernière bougie clôturée enregistrée de chaque symbole, pour chaque unité."""
    return list(
        Candle.objects.filter(exchange=exchange, symbol__in=symbols, timeframe__in=timeframes)
        .order_by("symbol", "timeframe", "-open_time")
        .distinct("symbol", "timeframe")
    )
