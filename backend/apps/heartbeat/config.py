"""Réglages du heartbeat : les symboles suivis. Un changement est appliqué à chaud par `run_heartbeat`."""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.channels import HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event, publish_sync
from apps.heartbeat.bars import TIMEFRAMES
from apps.heartbeat.binance import EXCHANGE
from apps.heartbeat.known_pairs import KNOWN_PAIRS
from apps.heartbeat.models import HeartbeatConfig
from apps.market_data.models import Market

logger = logging.getLogger("aristobot.heartbeat")

SYMBOL = re.compile(r"^[A-Z0-9]{2,20}/[A-Z0-9]{2,20}$")
MAX_SYMBOLS = 100


def heartbeat_config_data() -> dict:
    """Retourne {"symbols": [...], "timeframes": [...]}."""
    return {"symbols": HeartbeatConfig.load().symbols, "timeframes": TIMEFRAMES}


def _clean_symbols(symbols: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(symbol.strip().upper() for symbol in symbols))
    if not cleaned:
        raise ValidationError("Suivez au moins un symbole.")
    if len(cleaned) > MAX_SYMBOLS:
        raise ValidationError(f"{MAX_SYMBOLS} symboles au plus.")
    malformed = [symbol for symbol in cleaned if not SYMBOL.match(symbol)]
    if malformed:
        raise ValidationError(f"Symbole(s) invalide(s) : {', '.join(malformed)} (attendu BASE/COTATION, ex. BTC/USDT).")
    known = Market.objects.filter(exchange=EXCHANGE)
    if known.exists():  # les paires Binance chargées font foi ; sinon, la liste connue hors ligne
        active = set(known.filter(active=True, symbol__in=cleaned).values_list("symbol", flat=True))
    else:
        active = KNOWN_PAIRS
    unknown = [symbol for symbol in cleaned if symbol not in active]
    if unknown:
        raise ValidationError(f"Paire(s) inconnue(s) ou inactive(s) chez Binance : {', '.join(unknown)}.")
    return cleaned


def followable_symbol(symbol: str) -> str:
    """La paire Binance que le heartbeat peut suivre (majuscules) ; ValidationError (français) sinon."""
    return _clean_symbols([str(symbol)])[0]


def _notify_heartbeat() -> None:
    try:
        publish_sync(HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event())
    except Exception:
        logger.exception("Heartbeat non prévenu du changement de symboles : il l'appliquera à son redémarrage")


@transaction.atomic
def heartbeat_symbols_update(*, symbols: list[str]) -> HeartbeatConfig:
    """Remplace les symboles suivis (majuscules, sans doublon) ; ValidationError (français) sinon.

    Le heartbeat en cours est prévenu après l'enregistrement et s'abonne sans redémarrer.
    """
    cleaned = _clean_symbols(symbols)
    config, _ = HeartbeatConfig.objects.select_for_update().get_or_create(pk=1)
    config.symbols = cleaned
    config.save()
    transaction.on_commit(_notify_heartbeat)
    return config
