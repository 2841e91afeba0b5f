"""1m → 3m 5m 10m 15m 1h 2h 4h : comparé à des bougies recalculées ici autrement, et aux vraies 5m de Binance."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from apps.heartbeat.aggregation import Aggregator
from apps.heartbeat.bars import Bar
from testing import ltcbtc

LENGTHS = {"3m": 3, "5m": 5, "10m": 10, "15m": 15, "1h": 60, "2h": 120, "4h": 240}


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def minute_bars(start: datetime, count: int, seed: int = 1) -> list[Bar]:
    rng = random.Random(seed)
    price, bars = Decimal("100"), []
    for i in range(count):
        open_ = price
        moves = [open_ + Decimal(rng.randint(-50, 50)) / 100 for _ in range(3)]
        price = moves[-1]
        bars.append(
            Bar(
                "BTC/USDT",
                "1m",
                ms(start + timedelta(minutes=i)),
                open_,
                max(open_, *moves),
                min(open_, *moves),
                price,
                Decimal(rng.randint(1, 10_000)) / 1000,
            )
        )
    return bars


def by_day_arithmetic(minutes: list[Bar], length: int) -> dict[tuple, tuple]:
    """Regroupe par « minute du jour // durée », depuis minuit UTC : une autre méthode que le modulo d'époque."""
    groups: dict[datetime, list[Bar]] = {}
    for bar in minutes:
        moment = datetime.fromtimestamp(bar.open_time / 1000, UTC)
        midnight = moment.replace(hour=0, minute=0)
        index = (moment.hour * 60 + moment.minute) // length
        groups.setdefault(midnight + timedelta(minutes=index * length), []).append(bar)
    return {
        ms(start): (
            group[0].open,
            max(b.high for b in group),
            min(b.low for b in group),
            group[-1].close,
            sum((b.volume for b in group), Decimal(0)),
        )
        for start, group in groups.items()
    }


def feed(minutes: list[Bar], aggregator: Aggregator | None = None) -> list[tuple[int, Bar]]:
    """Donne les 1m une à une ; retourne (index de la 1m qui a terminé la bougie, bougie)."""
    aggregator = aggregator or Aggregator()
    return [(index, bar) for index, minute in enumerate(minutes) for bar in aggregator.add(minute)]


def ohlcv(bar: Bar) -> tuple:
    return bar.open, bar.high, bar.low, bar.close, bar.volume


def test_every_timeframe_matches_an_independent_computation_across_midnight_and_4h_edges():
    start = datetime(2024, 2, 29, 20, 0, tzinfo=UTC)  # jour bissextile ; 12 h jusqu'au 1er mars 08:00
    minutes = minute_bars(start, 12 * 60)
    emitted = feed(minutes)
    for timeframe, length in LENGTHS.items():
        expected = by_day_arithmetic(minutes, length)
        got = {bar.open_time: ohlcv(bar) for _, bar in emitted if bar.timeframe == timeframe}
        assert got == expected, timeframe
        assert len(got) == 12 * 60 // length
    # Chaque bougie sort à l'instant où sa dernière minute se clôt, ni avant ni après.
    for index, bar in emitted:
        assert minutes[index].open_time + 60_000 == bar.close_time + 1
    midnight = ms(datetime(2024, 3, 1, tzinfo=UTC))
    closing_at_midnight = [bar.timeframe for index, bar in emitted if bar.close_time + 1 == midnight]
    assert closing_at_midnight == ["3m", "5m", "10m", "15m", "1h", "2h", "4h"]
    four_hours = [bar for _, bar in emitted if bar.timeframe == "4h"]
    assert [datetime.fromtimestamp(b.open_time / 1000, UTC).hour for b in four_hours] == [20, 0, 4]


def test_a_bucket_whose_last_minute_is_missing_closes_when_the_next_bucket_starts():
    minutes = minute_bars(datetime(2024, 3, 1, 10, 0, tzinfo=UTC), 10)
    del minutes[4]  # 10:04 n'existe pas (comme chez Binance quand rien ne s'échange)
    emitted = feed(minutes)
    five = [(index, bar) for index, bar in emitted if bar.timeframe == "5m"]
    assert [index for index, _ in five] == [4, 8]  # rendue à l'arrivée de 10:05
    assert ohlcv(five[0][1]) == by_day_arithmetic(minutes, 5)[five[0][1].open_time]


def test_after_lost_minutes_no_incomplete_candle_is_published():
    minutes = minute_bars(datetime(2024, 3, 1, 10, 0, tzinfo=UTC), 60)
    aggregator = Aggregator()
    emitted = feed(minutes[:7], aggregator)  # 10:00 → 10:06, puis 10:07 → 10:13 perdues
    aggregator.restart(minutes[14].open_time)
    emitted += feed(minutes[14:], aggregator)
    starts = {
        (bar.timeframe, datetime.fromtimestamp(bar.open_time / 1000, UTC).strftime("%H:%M")) for _, bar in emitted
    }
    assert ("3m", "10:03") in starts and ("5m", "10:00") in starts
    for lost in [
        ("3m", "10:06"),
        ("5m", "10:05"),
        ("5m", "10:10"),
        ("10m", "10:00"),
        ("10m", "10:10"),
        ("15m", "10:00"),
        ("1h", "10:00"),
    ]:
        assert lost not in starts
    assert {("3m", "10:15"), ("5m", "10:15"), ("10m", "10:20"), ("15m", "10:15")} <= starts


def test_aggregated_5m_equal_binance_5m_on_real_ltcbtc_candles():
    def read(timeframe: str) -> list[Bar]:
        return [
            Bar("LTC/BTC", timeframe, int(row["open_time_ms"]), *(Decimal(row[key]) for key in ltcbtc.OHLCV))
            for row in ltcbtc.rows(timeframe)
        ]

    minutes = read("1m")
    first_bucket = minutes[0].open_time - minutes[0].open_time % 300_000 + 300_000
    minutes = [bar for bar in minutes if bar.open_time >= first_bucket]  # la première 5m est incomplète
    binance = {bar.open_time: ohlcv(bar) for bar in read("5m")}
    missing = {m.open_time + 60_000 for m in minutes} - {m.open_time for m in minutes}
    assert len(missing) > 5  # des minutes manquent vraiment dans ces données

    got = {bar.open_time: ohlcv(bar) for _, bar in feed(minutes) if bar.timeframe == "5m"}
    buckets = {m.open_time - m.open_time % 300_000 for m in minutes}
    assert set(got) >= buckets - {max(buckets)} and len(got) > 850  # la dernière peut être encore ouverte
    assert got == {start: binance[start] for start in got}
