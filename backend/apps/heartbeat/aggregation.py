"""Agrégation des bougies 1m clôturées en 3m 5m 10m 15m 1h 2h 4h (Binance n'a pas de flux 10m)."""

from apps.heartbeat.bars import HIGHER_TIMEFRAMES, MINUTE_MS, TIMEFRAME_MS, Bar, bucket_start


class Aggregator:
    """Construit les unités supérieures d'un symbole à partir de ses 1m, reçues dans l'ordre croissant.

    Une bougie est complète dès que sa dernière minute est clôturée ; si cette minute manque (absente
    chez Binance aussi), elle est rendue à l'arrivée de la première minute de la bougie suivante.
    Le premier bloc n'est juste que si la première 1m ouvre un bloc de 4 h : l'appelant s'en charge.
    """

    def __init__(self) -> None:
        self.partial: dict[str, Bar] = {}
        self.resume: dict[str, int] = {}  # par unité, ouverture de la première bougie à construire

    def restart(self, at: int) -> None:
        """Après des minutes perdues jusqu'à `at` : les bougies entamées sont abandonnées (elles seraient
        fausses) et chaque unité reprend à sa première bougie qui commence à `at` ou après."""
        self.partial.clear()
        self.resume = {tf: -(-at // TIMEFRAME_MS[tf]) * TIMEFRAME_MS[tf] for tf in HIGHER_TIMEFRAMES}

    def add(self, minute: Bar) -> list[Bar]:
        """Ajoute une 1m clôturée ; retourne les bougies terminées, par heure de clôture puis par durée."""
        done = []
        end = minute.open_time + MINUTE_MS
        for timeframe in HIGHER_TIMEFRAMES:
            start = bucket_start(minute.open_time, timeframe)
            if start < self.resume.get(timeframe, start):
                continue
            bar = self.partial.pop(timeframe, None)
            if bar is not None and bar.open_time != start:
                done.append(bar)
                bar = None
            if bar is None:
                bar = Bar(
                    minute.symbol, timeframe, start, minute.open, minute.high, minute.low, minute.close, minute.volume
                )
            else:
                bar.high = max(bar.high, minute.high)
                bar.low = min(bar.low, minute.low)
                bar.close = minute.close
                bar.volume += minute.volume
            if end == start + TIMEFRAME_MS[timeframe]:
                done.append(bar)
            else:
                self.partial[timeframe] = bar
        done.sort(key=lambda bar: (bar.close_time, TIMEFRAME_MS[bar.timeframe]))
        return done
