"""Sources du simulateur : une marche aléatoire (tout symbole demandé) ou un fichier d'événements enregistré.

Une source avance d'un pas à la fois (`advance`) et garde, par identifiant Binance, les klines 1m
clôturées qu'elle a déjà jouées (`closed`, lignes au format REST) pour le rattrapage.
"""

import json
import math
import random
from decimal import Decimal
from pathlib import Path

from apps.heartbeat.bars import MINUTE_MS

HISTORY_MINUTES = 26 * 60  # assez pour qu'un heartbeat qui démarre remonte à son bloc de 4 h
START_PRICES = {"BTC": 60_000, "ETH": 3_000, "BNB": 600, "SOL": 150, "LTC": 80}


def kline_event(market: str, open_time: int, candle: list[Decimal], trades: int, closed: bool, event_time: int) -> dict:
    """Un événement kline 1m au format de Binance."""
    o, h, low, c, v = (str(value) for value in candle)
    return {
        "e": "kline",
        "E": event_time,
        "s": market,
        "k": {
            "t": open_time,
            "T": open_time + MINUTE_MS - 1,
            "s": market,
            "i": "1m",
            "f": 0,
            "L": trades,
            "o": o,
            "c": c,
            "h": h,
            "l": low,
            "v": v,
            "n": trades,
            "x": closed,
            "q": "0",
            "V": "0",
            "Q": "0",
            "B": "0",
        },
    }


def rest_row(kline: dict) -> list:
    """La kline d'un événement, en ligne de /api/v3/klines."""
    return [
        kline["t"],
        kline["o"],
        kline["h"],
        kline["l"],
        kline["c"],
        kline["v"],
        kline["T"],
        kline.get("q", "0"),
        kline.get("n", 0),
        kline.get("V", "0"),
        kline.get("Q", "0"),
        "0",
    ]


class WalkMarket:
    """Une paire inventée : prix log-normal, volume aléatoire, graine tirée de son nom."""

    def __init__(self, market: str, seed: int, quote_digits: int = 6):
        self.market = market
        self.rng = random.Random(f"{seed}:{market}")
        start = next(
            (price for base, price in START_PRICES.items() if market.startswith(base)), self.rng.uniform(1, 500)
        )
        self.quantum = Decimal(1).scaleb(math.floor(math.log10(start)) - quote_digits + 1)
        self.price = start
        self.candle: list[Decimal] | None = None  # open, high, low, close, volume de la minute en cours
        self.trades = 0

    def step(self) -> None:
        """Un pas de marché : nouveau prix, un peu de volume."""
        self.price *= math.exp(self.rng.gauss(0, 0.0006))
        price = Decimal(self.price).quantize(self.quantum)
        volume = Decimal(self.rng.uniform(0.01, 3)).quantize(Decimal("0.0001"))
        self.trades += self.rng.randint(1, 20)
        if self.candle is None:
            self.candle = [price, price, price, price, volume]
        else:
            o, h, low, _, v = self.candle
            self.candle = [o, max(h, price), min(low, price), price, v + volume]


class RandomWalkFeed:
    """Marché inventé, déterministe : `updates_per_minute` pas par minute, le dernier clôt la minute.

    Un symbole apparaît à sa première demande (abonnement ou REST) avec `HISTORY_MINUTES` de passé.
    """

    def __init__(self, *, start_ms: int, seed: int = 0, updates_per_minute: int = 30):
        if MINUTE_MS % updates_per_minute:
            raise ValueError("updates_per_minute doit diviser 60 000 ms")
        self.tick_ms = MINUTE_MS // updates_per_minute
        self.clock = start_ms - start_ms % self.tick_ms
        self.seed = seed
        self.markets: dict[str, WalkMarket] = {}
        self.closed: dict[str, list[list]] = {}

    def ensure(self, market: str) -> None:
        if market in self.markets:
            return
        walk = WalkMarket(market, self.seed)
        self.markets[market] = walk
        self.closed[market] = []
        minute = self.clock - self.clock % MINUTE_MS
        for open_time in range(minute - HISTORY_MINUTES * MINUTE_MS, minute, MINUTE_MS):
            for _ in range(MINUTE_MS // self.tick_ms):
                walk.step()
            self._close(walk, open_time)
        for _ in range((self.clock - minute) // self.tick_ms):
            walk.step()

    def advance(self) -> tuple[int, list[dict]] | None:
        """Un pas de temps pour toutes les paires connues ; retourne (heure ms, événements)."""
        self.clock += self.tick_ms
        minute = self.clock - self.clock % MINUTE_MS
        events = []
        for walk in self.markets.values():
            walk.step()
            if self.clock == minute:
                events.append(self._close(walk, minute - MINUTE_MS))
            else:
                events.append(kline_event(walk.market, minute, walk.candle, walk.trades, False, self.clock))
        return self.clock, events

    def _close(self, walk: WalkMarket, open_time: int) -> dict:
        event = kline_event(walk.market, open_time, walk.candle, walk.trades, True, open_time + MINUTE_MS)
        self.closed[walk.market].append(rest_row(event["k"]))
        walk.candle, walk.trades = None, 0
        return event


class RecordedFeed:
    """Rejoue un fichier JSON Lines : un événement kline par ligne, nu ou dans l'enveloppe du flux combiné."""

    def __init__(self, path: Path):
        events = []
        for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                message = json.loads(line)
                event = message.get("data", message)
                events.append((int(event["E"]), event))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{number} : événement kline illisible ({exc})") from exc
        events.sort(key=lambda item: item[0])
        self.events = events
        self.position = 0
        self.clock = events[0][0] - 1 if events else 0
        self.closed: dict[str, list[list]] = {}

    def ensure(self, market: str) -> None:
        """Le fichier fixe les paires : une paire absente n'aura jamais d'événement."""

    def advance(self) -> tuple[int, list[dict]] | None:
        if self.position >= len(self.events):
            return None
        self.clock, event = self.events[self.position]
        self.position += 1
        kline = event.get("k", {})
        if kline.get("x"):
            self.closed.setdefault(event["s"], []).append(rest_row(kline))
        return self.clock, [event]
