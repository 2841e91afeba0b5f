"""Jeton secret de l'URL TradingView, et filtrage des expéditeurs par adresse IP."""

import hmac

from apps.webhooks.models import WebhookToken, new_token

# Adresses publiées par TradingView pour ses webhooks (IPv4 seulement).
TRADINGVIEW_IPS = ("52.89.214.238", "34.212.75.30", "54.218.53.128", "52.32.178.7")


def token_for(user) -> WebhookToken:
    """Le jeton de `user`, créé à la première demande."""
    token, _ = WebhookToken.objects.get_or_create(user=user)
    return token


def regenerate_token(*, user) -> WebhookToken:
    """Nouveau secret : l'ancienne URL répond 404 dès maintenant."""
    token = token_for(user)
    token.token = new_token()
    token.save(update_fields=["token", "updated_at"])
    return token


def set_tradingview_only(*, user, enabled: bool) -> WebhookToken:
    token = token_for(user)
    token.tradingview_only = enabled
    token.save(update_fields=["tradingview_only", "updated_at"])
    return token


def find_tokens(candidates: list[str]) -> list[WebhookToken | None]:
    """Pour chaque candidat, le jeton qui lui est égal (ou None), comparé en temps constant à chacun des jetons
    (5 utilisateurs au plus), lus une fois pour tous."""
    tokens = [(token.token.encode(), token) for token in WebhookToken.objects.select_related("user")]
    found = []
    for candidate in candidates:
        given, match = candidate.encode(), None
        for secret, token in tokens:
            if hmac.compare_digest(secret, given):
                match = token
        found.append(match)
    return found


def sender_allowed(token: WebhookToken, ip: str | None) -> bool:
    return not token.tradingview_only or ip in TRADINGVIEW_IPS
