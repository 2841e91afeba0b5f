"""Comptabilité de l'exchange paper (synchrone, en base) : soldes, ordres, exécutions, frais.

Les refus lèvent les exceptions de CCXT, comme un vrai exchange : la porte les traduit.
"""

import re
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

import ccxt
from django.db import transaction
from django.utils import timezone

from apps.brokers.models import PaperBalance, PaperOrder
from apps.brokers.paper.markets import (
    first_minute_since,
    last_candle,
    market_time,
    minute_candles_since,
    price_range_since,
)
from apps.brokers.paper.markets import market as paper_market
from apps.core.fills import STOP_LOSS, TAKE_PROFIT, exit_in_candle

TAKER_FEE = Decimal("0.001")
# Ordre au marché décidé par une stratégie (`strategy-<activation>-<bougie>`) : exécuté au premier prix après
# l'ordre, l'ouverture de la bougie 1m suivante, comme le backtest (pas au dernier prix connu).
NEXT_OPEN = re.compile(r"^strategy-\d+-\d+$")
BELOW, ABOVE = "below", "above"
# Un ordre au marché n'est pas exécuté sur un prix plus vieux que cela (heartbeat arrêté).
FRESH_PRICE = timedelta(minutes=2)


def ensure_balances(broker_id: int, starting_balance: Decimal) -> None:
    """Crée le solde de départ (USDT) au premier usage du broker."""
    if not PaperBalance.objects.filter(broker_id=broker_id).exists():
        PaperBalance.objects.get_or_create(broker_id=broker_id, currency="USDT", defaults={"free": starting_balance})


def balances(broker_id: int) -> list[PaperBalance]:
    return list(PaperBalance.objects.filter(broker_id=broker_id).order_by("currency"))


def _wallet(broker_id: int, *currencies: str) -> dict[str, PaperBalance]:
    for currency in currencies:
        PaperBalance.objects.get_or_create(broker_id=broker_id, currency=currency)
    rows = PaperBalance.objects.select_for_update().filter(broker_id=broker_id, currency__in=currencies)
    return {row.currency: row for row in rows}


def last_price(symbol: str, *, fresh: bool = False) -> Decimal:
    """Le dernier prix enregistré ; `fresh` le refuse s'il date de plus de FRESH_PRICE."""
    candle = last_candle(symbol)
    if candle is None:
        raise ccxt.ExchangeNotAvailable(f"paper aucun prix connu pour {symbol} (aucune bougie enregistrée)")
    age = timezone.now() - candle.close_time
    if fresh and age > FRESH_PRICE:
        minutes = int(age.total_seconds() // 60)
        raise ccxt.InvalidOrder(
            f"paper Prix paper trop ancien ({symbol} : dernière bougie il y a {minutes} min, "
            f"{candle.close_time:%Y-%m-%d %H:%M} UTC) : le heartbeat tourne-t-il ?"
        )
    return candle.close


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step


def _check(market: dict, amount: Decimal, price: Decimal) -> Decimal:
    """Arrondit la quantité au pas du marché ; refuse sous les minimums (quantité, montant)."""
    limits = market["limits"]
    amount = _quantize(amount, market["precision"]["amount"])
    if amount <= 0 or amount < limits["amount"]["min"]:
        raise ccxt.InvalidOrder(
            f"paper quantité {_fmt(amount)} inférieure au minimum {_fmt(limits['amount']['min'])} "
            f"pour {market['symbol']}"
        )
    if amount * price < limits["cost"]["min"]:
        raise ccxt.InvalidOrder(
            f"paper montant {_fmt(amount * price)} inférieur au minimum {_fmt(limits['cost']['min'])} {market['quote']}"
        )
    return amount


def _sized(order: PaperOrder, price: Decimal) -> bool:
    """Achat au montant : la quantité que `quote_cost` achète à `price`, au pas du marché ; False si elle tombe sous
    les minimums (l'ordre ne peut s'exécuter)."""
    if order.quote_cost is None:
        return True
    market = paper_market(order.symbol)
    order.amount = _quantize(order.quote_cost / price, market["precision"]["amount"])
    limits = market["limits"]
    enough = order.amount >= limits["amount"]["min"] and order.amount * price >= limits["cost"]["min"]
    return order.amount > 0 and enough


def _direction(side: str) -> str:
    """Sens de franchissement qui exécute un ordre limite : vers le bas pour un achat."""
    return BELOW if side == "buy" else ABOVE


def _fill(order: PaperOrder, wallet: dict[str, PaperBalance], price: Decimal) -> None:
    """Comme Binance spot : un achat paie ses frais en actif de base, une vente en devise de cotation."""
    base, quote = order.symbol.split("/")
    cost = order.amount * price
    if order.side == "buy":
        fee, fee_currency = order.amount * TAKER_FEE, base
        wallet[quote].used -= order.reserved
        wallet[quote].free += order.reserved - cost
        wallet[base].free += order.amount - fee
    else:
        fee, fee_currency = cost * TAKER_FEE, quote
        wallet[base].used -= order.reserved
        wallet[base].free += order.reserved - order.amount
        wallet[quote].free += cost - fee
    if wallet[quote].free < 0 or wallet[base].free < 0:
        raise ccxt.InsufficientFunds(f"paper solde insuffisant pour {order.side} {_fmt(order.amount)} {order.symbol}")
    order.status, order.filled, order.average, order.cost = PaperOrder.Status.CLOSED, order.amount, price, cost
    order.fee, order.fee_currency, order.reserved, order.filled_at = fee, fee_currency, Decimal("0"), timezone.now()


def _reserve(order: PaperOrder, wallet: dict[str, PaperBalance], price: Decimal) -> None:
    base, quote = order.symbol.split("/")
    currency = quote if order.side == "buy" else base
    need = order.amount * price * (1 + TAKER_FEE) if order.side == "buy" else order.amount
    if order.quote_cost is not None:
        need = order.quote_cost  # frais pris sur la base reçue : le montant est tout ce qui est dépensé
    if wallet[currency].free < need:
        raise ccxt.InsufficientFunds(
            f"paper solde {currency} insuffisant : {_fmt(wallet[currency].free)} disponible, {_fmt(need)} nécessaire"
        )
    wallet[currency].free -= need
    wallet[currency].used += need
    order.reserved = need


@transaction.atomic
def place_order(
    *,
    broker_id: int,
    market: dict,
    type: str,
    side: str,
    amount: Decimal,
    price: Decimal | None,
    trigger_kind: str = "",
    trigger_price: Decimal | None = None,
    client_order_id: str = "",
    order_list: str = "",
    reserve: bool = True,
    cost: Decimal | None = None,
) -> PaperOrder:
    """Exécute un ordre au marché, ou le laisse ouvert (limite non franchie, stop-loss, take-profit).

    `cost` : achat au marché pour ce montant en cotation, jamais plus (comme quoteOrderQty de Binance) ; `amount`
    n'est alors qu'une estimation, la quantité est celle que le montant achète au prix d'exécution."""
    if side not in ("buy", "sell") or type not in ("market", "limit"):
        raise ccxt.InvalidOrder(f"paper ordre {type} {side} non pris en charge (market ou limit, buy ou sell)")
    if cost is not None and (type, side) != ("market", "buy"):
        raise ccxt.InvalidOrder("paper un montant (cost) ne sert qu'à un achat au marché")
    if type == "limit" and price is None:
        raise ccxt.InvalidOrder("paper un ordre limit demande un prix")
    symbol = market["symbol"]
    waits = type == "market" and bool(NEXT_OPEN.match(client_order_id))
    current = last_price(symbol, fresh=type == "market" and not waits)
    reference = trigger_price or price or current
    order = PaperOrder(
        broker_id=broker_id,
        client_order_id=client_order_id,
        symbol=symbol,
        type=type,
        side=side,
        price=price,
        amount=_check(market, amount if cost is None else cost / reference, reference),
        quote_cost=cost,
        trigger_kind=trigger_kind,
        trigger_price=trigger_price,
        order_list=order_list,
        market_time=market_time(symbol),
    )
    wallet = _wallet(broker_id, market["base"], market["quote"])
    marketable = type == "market" or (side == "buy" and price >= current) or (side == "sell" and price <= current)
    if waits:
        _reserve(order, wallet, current)
    elif marketable and not trigger_kind:
        _reserve(order, wallet, current)
        _sized(order, current)
        _fill(order, wallet, current)
    elif reserve:
        _reserve(order, wallet, price if type == "limit" else reference)
    order.save()
    PaperBalance.objects.bulk_update(wallet.values(), ["free", "used"])
    return order


def _crossed(order: PaperOrder, low: Decimal | None, high: Decimal | None) -> Decimal | None:
    """Prix d'exécution d'un ordre limite si un prix vu après l'ordre franchit sa limite, sinon None."""
    if low is None or high is None:
        return None
    if _direction(order.side) == BELOW and low <= order.price:
        return order.price
    if _direction(order.side) == ABOVE and high >= order.price:
        return order.price
    return None


@transaction.atomic
def place_oco(
    *,
    broker_id: int,
    market: dict,
    amount: Decimal,
    take_profit: Decimal,
    stop_price: Decimal,
    stop_limit: Decimal,
    list_id: str,
    take_profit_client_id: str,
    stop_loss_client_id: str,
) -> tuple[PaperOrder, PaperOrder]:
    """OCO de vente : la base est réservée une fois (sur le stop) ; la première jambe franchie annule l'autre."""
    if not stop_price < last_price(market["symbol"]) < take_profit:
        raise ccxt.InvalidOrder("paper OCO : il faut stop-loss < dernier prix < take-profit")
    common = {"broker_id": broker_id, "market": market, "side": "sell", "amount": amount, "order_list": list_id}
    stop = place_order(
        type="limit",
        price=stop_limit,
        trigger_kind="stop_loss",
        trigger_price=stop_price,
        client_order_id=stop_loss_client_id,
        **common,
    )
    take = place_order(
        type="limit",
        price=take_profit,
        trigger_kind="take_profit",
        trigger_price=take_profit,
        client_order_id=take_profit_client_id,
        reserve=False,
        **common,
    )
    return take, stop


def _release(order: PaperOrder, wallet: dict[str, PaperBalance]) -> None:
    base, quote = order.symbol.split("/")
    currency = quote if order.side == "buy" else base
    wallet[currency].used -= order.reserved
    wallet[currency].free += order.reserved
    order.status, order.reserved = PaperOrder.Status.CANCELED, Decimal("0")


def _settle_triggered(broker_id: int, group: list[PaperOrder]) -> int:
    """Un ordre déclenché seul, ou les deux jambes d'un OCO : la première bougie 1m qui franchit l'exécute ;
    prix et priorité (le stop d'abord dans une même bougie) par la règle du backtest (apps.core.fills) ;
    l'autre jambe est annulée."""
    legs = {order.trigger_kind: order for order in group}
    for candle in minute_candles_since(group[0].symbol, min(_since(o) for o in group)):
        live = {kind: leg for kind, leg in legs.items() if candle.open_time >= _since(leg)}
        stop, target = (live[kind].trigger_price if kind in live else None for kind in (STOP_LOSS, TAKE_PROFIT))
        hit = exit_in_candle(candle.open, candle.high, candle.low, stop, target)
        if hit is not None:
            leg, price = live[hit[0]], hit[1]
            base = leg.symbol.split("/")[0]
            wallet = _wallet(broker_id, base, leg.symbol.split("/")[1])
            for other in legs.values():
                if other is not leg:
                    _release(other, wallet)
                    other.save()
            missing = leg.amount - leg.reserved  # la jambe take-profit d'un OCO ne réservait rien
            wallet[base].free -= missing
            wallet[base].used += missing
            leg.reserved = leg.amount
            _fill(leg, wallet, price)
            leg.save()
            PaperBalance.objects.bulk_update(wallet.values(), ["free", "used"])
            return 1
    return 0


def _since(order: PaperOrder):
    return order.market_time or order.created_at


def _fill_next_open(order: PaperOrder, wallet: dict[str, PaperBalance]) -> bool:
    """Ordre au marché en attente : exécuté à l'ouverture de la première bougie 1m après lui ; annulé si le solde ne
    couvre plus l'écart entre le prix réservé et cette ouverture."""
    candle = first_minute_since(order.symbol, _since(order))
    if candle is None:
        return False
    base, quote = order.symbol.split("/")
    if not _sized(order, candle.open):
        _release(order, wallet)  # le montant n'achète plus le minimum du marché à cette ouverture
    elif order.side == "buy" and order.reserved + wallet[quote].free < order.amount * candle.open:
        _release(order, wallet)
    else:
        _fill(order, wallet, candle.open)
    return True


@transaction.atomic
def settle_open_orders(broker_id: int) -> int:
    """Exécute les ordres ouverts franchis par les bougies arrivées depuis leur création ; retourne leur nombre."""
    filled = 0
    groups: dict[str, list[PaperOrder]] = {}
    for order in PaperOrder.objects.select_for_update().filter(broker_id=broker_id, status=PaperOrder.Status.OPEN):
        if order.trigger_kind:
            groups.setdefault(order.order_list or f"#{order.pk}", []).append(order)
            continue
        wallet = _wallet(broker_id, *order.symbol.split("/"))
        if order.type == "market":
            if not _fill_next_open(order, wallet):
                continue
        else:
            price = _crossed(order, *price_range_since(order.symbol, _since(order)))
            if price is None:
                continue
            _fill(order, wallet, price)
        order.save()
        PaperBalance.objects.bulk_update(wallet.values(), ["free", "used"])
        filled += 1
    for group in groups.values():
        filled += _settle_triggered(broker_id, group)
    return filled


@transaction.atomic
def cancel_order(broker_id: int, order_id: str) -> PaperOrder:
    """Annule un ordre ouvert ; une jambe d'OCO annule toute la liste, comme Binance."""
    order = PaperOrder.objects.select_for_update().filter(broker_id=broker_id, pk=_order_pk(order_id)).first()
    if order is None or order.status != PaperOrder.Status.OPEN:
        raise ccxt.OrderNotFound(f"paper ordre {order_id} introuvable ou déjà clôturé")
    wallet = _wallet(broker_id, *order.symbol.split("/"))
    listed = [order]
    if order.order_list:
        listed += (
            PaperOrder.objects.select_for_update()
            .filter(broker_id=broker_id, order_list=order.order_list, status=PaperOrder.Status.OPEN)
            .exclude(pk=order.pk)
        )
    for leg in listed:
        _release(leg, wallet)
        leg.save()
    PaperBalance.objects.bulk_update(wallet.values(), ["free", "used"])
    return order


def get_order(broker_id: int, order_id: str | None, client_order_id: str | None = None) -> PaperOrder:
    orders = PaperOrder.objects.filter(broker_id=broker_id)
    if client_order_id:
        order = orders.filter(client_order_id=client_order_id).first()
    else:
        order = orders.filter(pk=_order_pk(order_id)).first()
    if order is None:
        raise ccxt.OrderNotFound(f"paper ordre {client_order_id or order_id} introuvable")
    return order


def orders(broker_id: int, *, symbol: str | None = None, status: str | None = None) -> list[PaperOrder]:
    queryset = PaperOrder.objects.filter(broker_id=broker_id)
    if symbol:
        queryset = queryset.filter(symbol=symbol)
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset)


def _order_pk(order_id) -> int:
    try:
        return int(order_id)
    except (TypeError, ValueError):
        raise ccxt.OrderNotFound(f"paper identifiant d'ordre invalide : {order_id}") from None
