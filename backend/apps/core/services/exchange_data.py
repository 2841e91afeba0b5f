"""Les réponses de la porte des exchanges : structures du projet, nombres en Decimal (jamais de float)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal


def to_decimal(value) -> Decimal | None:
    """Nombre CCXT (float, int, str ou Decimal) → Decimal, en passant par le texte ; None reste None."""
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Fee:
    cost: Decimal
    currency: str


@dataclass(frozen=True)
class Balance:
    free: Decimal
    used: Decimal
    total: Decimal


@dataclass(frozen=True)
class Ticker:
    symbol: str
    last: Decimal | None
    bid: Decimal | None
    ask: Decimal | None
    timestamp: int | None


@dataclass(frozen=True)
class Market:
    symbol: str
    id: str
    base: str
    quote: str
    active: bool
    taker: Decimal | None
    min_amount: Decimal | None
    max_amount: Decimal | None
    min_cost: Decimal | None


@dataclass
class Order:
    """Un ordre vu par l'exchange ; un champ à None est inconnu de la réponse (laisser la valeur connue)."""

    id: str
    client_order_id: str | None
    status: str | None  # open, closed, canceled, expired, rejected (vocabulaire CCXT)
    filled: Decimal | None
    average: Decimal | None
    cost: Decimal | None
    fees: list[Fee] = field(default_factory=list)


@dataclass(frozen=True)
class Fill:
    id: str
    order_id: str
    amount: Decimal
    price: Decimal
    cost: Decimal
    fee: Fee | None
    time: datetime | None


@dataclass(frozen=True)
class Ohlcv:
    """Une bougie de l'historique d'un exchange : ouverture en ms UTC, prix et volume en Decimal."""

    open_time_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


def ohlcv_from(row: list) -> Ohlcv:
    """Ligne CCXT [ms, open, high, low, close, volume] → Ohlcv (volume absent : 0)."""
    volume = row[5] if len(row) > 5 and row[5] is not None else 0
    return Ohlcv(int(row[0]), *(to_decimal(value) for value in row[1:5]), to_decimal(volume))


def _limit(market: dict, kind: str, bound: str) -> Decimal | None:
    return to_decimal(((market.get("limits") or {}).get(kind) or {}).get(bound)) or None


def market_from(raw: dict) -> Market:
    return Market(
        symbol=raw["symbol"],
        id=str(raw.get("id") or raw["symbol"]),
        base=raw["base"],
        quote=raw["quote"],
        active=raw.get("active") is not False,
        taker=to_decimal(raw.get("taker")),
        min_amount=_limit(raw, "amount", "min"),
        max_amount=_limit(raw, "amount", "max"),
        min_cost=_limit(raw, "cost", "min"),
    )


def _fee(raw: dict | None) -> Fee | None:
    if not raw or raw.get("cost") is None:
        return None
    return Fee(cost=to_decimal(raw["cost"]), currency=raw.get("currency") or "")


def order_from(raw: dict) -> Order:
    fees = [fee for fee in (_fee(f) for f in (raw.get("fees") or [raw.get("fee")])) if fee is not None]
    return Order(
        id=str(raw.get("id") or ""),
        client_order_id=raw.get("clientOrderId"),
        status=raw.get("status"),
        filled=to_decimal(raw.get("filled")),
        average=to_decimal(raw.get("average")),
        cost=to_decimal(raw.get("cost")),
        fees=fees,
    )


def fill_from(raw: dict) -> Fill:
    amount, price = to_decimal(raw.get("amount")) or Decimal(0), to_decimal(raw.get("price")) or Decimal(0)
    stamp = raw.get("timestamp")
    return Fill(
        id=str(raw.get("id") or ""),
        order_id=str(raw.get("order") or ""),
        amount=amount,
        price=price,
        cost=to_decimal(raw.get("cost")) or amount * price,
        fee=_fee(raw.get("fee")),
        time=datetime.fromtimestamp(stamp / 1000, tz=UTC) if stamp else None,
    )


def balances_from(raw: dict) -> dict[str, Balance]:
    """Soldes de total non nul, par devise."""
    result = {}
    for currency, total in (raw.get("total") or {}).items():
        total = to_decimal(total)
        if total:
            free = to_decimal((raw.get("free") or {}).get(currency)) or Decimal(0)
            used = to_decimal((raw.get("used") or {}).get(currency)) or Decimal(0)
            result[currency] = Balance(free=free, used=used, total=total)
    return result


def ticker_from(symbol: str, raw: dict) -> Ticker:
    return Ticker(
        symbol=symbol,
        last=to_decimal(raw.get("last") or raw.get("close")),
        bid=to_decimal(raw.get("bid")),
        ask=to_decimal(raw.get("ask")),
        timestamp=raw.get("timestamp"),
    )
