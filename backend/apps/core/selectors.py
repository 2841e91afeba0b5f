"""Lectures du noyau pour l'API."""
from apps.core.heartbeat.bars import TIMEFRAMES
from apps.core.heartbeat.binance import EXCHANGE
from apps.core.models import HeartbeatConfig
from apps.market_data.models import Candle


def latest_candles() -> list[Candle]:
    """La dernière bougie clôturée enregistrée de chaque symbole suivi, pour chaque unité."""
    return list(Candle.objects.filter(exchange=EXCHANGE, symbol__in=HeartbeatConfig.load().symbols,
                                      timeframe__in=TIMEFRAMES)
                .order_by("symbol", "timeframe", "-open_time").distinct("symbol", "timeframe"))
