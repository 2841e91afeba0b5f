"""Genres d'alertes : libellé français et canaux activés par défaut."""

from dataclasses import dataclass

from apps.alerts.models import Channel

ALL = (Channel.APP, Channel.TELEGRAM, Channel.EMAIL)
APP_ONLY = (Channel.APP,)


@dataclass(frozen=True)
class Kind:
    label: str
    defaults: tuple[str, ...]


KINDS = {
    "order_filled": Kind("Ordre exécuté", ALL),
    "order_refused": Kind("Ordre refusé ou en échec", ALL),
    "order_uncertain": Kind("Ordre à l'issue incertaine", ALL),
    "position_opened": Kind("Position ouverte", APP_ONLY),
    "position_closed": Kind("Position clôturée (P&L et raison)", ALL),
    "protection_watched": Kind("Protection surveillée par Aristobot", ALL),
    "strategy_error": Kind("Erreur d'une stratégie", APP_ONLY),
    "strategy_suspended": Kind("Stratégie suspendue après des erreurs", ALL),
    "webhook_refused": Kind("Webhook refusé", ALL),
    "backtest_done": Kind("Backtest terminé", APP_ONLY),
    "backtest_failed": Kind("Backtest en échec", APP_ONLY),
    "risk_limit_reached": Kind("Limite de risque atteinte", ALL),
    "reconciler_anomaly": Kind("Anomalie corrigée par le réconciliateur", ALL),
    "broker_auth_failed": Kind("Clés d'API refusées par un exchange", ALL),
    "exchange_banned": Kind("Accès à un exchange suspendu (trop de requêtes)", ALL),
    "incident": Kind("Incident d'un service (chien de garde)", ALL),
    "incident_resolved": Kind("Incident résolu", ALL),
    "channel_failed": Kind("Échec d'envoi d'une alerte", ALL),
    "digest": Kind("Résumé quotidien", (Channel.APP, Channel.TELEGRAM)),
    "test": Kind("Test d'un canal", ()),
}
