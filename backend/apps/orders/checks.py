"""Contrôles d'un ordre avant envoi qui demandent le marché (fonctions pures) : taille, limites, niveaux autour du
prix ; identifiants client. Ceux de la demande seule sont dans apps.orders.request.

Un refus lève une ValidationError au message français ; le service d'ordres l'enregistre comme Trade refusé.
"""

import re
import uuid
from decimal import Context, Decimal

from django.core.exceptions import ValidationError

from apps.core.french_numbers import french_number
from apps.core.services.exchange_data import Market
from apps.orders.models import Trade

# Règle de Binance (newClientOrderId), la plus stricte des exchanges courants.
CLIENT_ORDER_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,36}$")


def text(value: Decimal) -> str:
    """Nombre lisible à la française : 8 chiffres significatifs au plus, sans exposant."""
    return french_number(Context(prec=8).plus(value))


def client_order_prefix(source: str) -> str:
    """Les identifiants client sont rangés par origine : « manual-… », « webhook-… », « strategy-… »."""
    return f"{source}-"


def new_client_order_id(source: str) -> str:
    prefix = client_order_prefix(source)
    return prefix + uuid.uuid4().hex[: 36 - len(prefix)]


def namespaced_client_order_id(source: str, value: str) -> str:
    """L'identifiant donné, préfixé par son origine s'il ne l'est pas déjà (un manuel ne prend pas celui d'un
    webhook)."""
    prefix = client_order_prefix(source)
    return value if value.startswith(prefix) else prefix + value


def valid_client_order_id(value) -> bool:
    return isinstance(value, str) and bool(CLIENT_ORDER_ID.match(value))


def base_quantity(
    *,
    side: str,
    market: Market,
    reference: Decimal,
    quantity: Decimal | None,
    amount: Decimal | None,
    percent: Decimal | None,
    free: Decimal | None,
) -> Decimal:
    """Quantité de base avant arrondi : donnée, déduite d'un montant, ou d'un pourcentage du solde libre.

    À l'achat, un pourcentage garde de quoi payer les frais taker : 100 % du solde reste possible.
    """
    if quantity is not None:
        return quantity
    if amount is not None:
        return amount / reference
    share = free * percent / 100
    if side == Trade.Side.SELL:
        return share
    return share / (reference * (1 + (market.taker or 0)))


def check_limits(*, market: Market, quantity: Decimal, requested: Decimal, reference: Decimal) -> None:
    """Quantité arrondie et montant estimé (au prix `reference`) dans les limites du marché."""
    symbol, base, quote = market.symbol, market.base, market.quote
    shown = text(quantity if quantity > 0 else requested)
    low, high, min_cost = market.min_amount, market.max_amount, market.min_cost
    if quantity <= 0 or (low and quantity < low):
        minimum = f" de {text(low)} {base}" if low else ""
        raise ValidationError(f"Quantité {shown} {base} inférieure au minimum{minimum} pour {symbol}.")
    if high and quantity > high:
        raise ValidationError(f"Quantité {shown} {base} supérieure au maximum de {text(high)} {base} pour {symbol}.")
    cost = quantity * reference
    if min_cost and cost < min_cost:
        raise ValidationError(
            f"Montant {text(cost)} {quote} inférieur au minimum de {text(min_cost)} {quote} pour {symbol}."
        )


def check_protection(*, side: str, reference: Decimal, stop_loss: Decimal | None, take_profit: Decimal | None) -> None:
    """Stop-loss et take-profit de part et d'autre du prix : sous/au-dessus pour un achat, l'inverse pour une vente."""
    buying = side == Trade.Side.BUY
    if stop_loss is not None and (stop_loss >= reference if buying else stop_loss <= reference):
        where = "sous le" if buying else "au-dessus du"
        raise ValidationError(f"Le stop-loss ({text(stop_loss)}) doit être {where} prix ({text(reference)}).")
    if take_profit is not None and (take_profit <= reference if buying else take_profit >= reference):
        where = "au-dessus du" if buying else "sous le"
        raise ValidationError(f"Le take-profit ({text(take_profit)}) doit être {where} prix ({text(reference)}).")
