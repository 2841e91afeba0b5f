"""Le fournisseur d'IA d'un utilisateur, d'après ses réglages de Mon compte (un seul actif au plus)."""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings

from apps.accounts.models import OLLAMA_URL_ERROR, User
from apps.strategies.assistant.exceptions import AssistantUnavailable

DISABLED = (
    "Assistant IA désactivé : activez OpenRouter ou Ollama dans Mon compte "
    "(section « Assistant IA ») pour obtenir de l'aide sur vos stratégies."
)
MISSING_KEY = "Clé OpenRouter manquante : renseignez-la dans Mon compte."


@dataclass(frozen=True)
class Provider:
    kind: str  # "openrouter" ou "ollama"
    label: str
    url: str
    model: str
    api_key: str = field(default="", repr=False)


def provider_for(*, user: User) -> Provider:
    """Le fournisseur actif de `user` ; AssistantUnavailable (message français) si aucun n'est utilisable."""
    if user.ai_openrouter_enabled:
        if not user.ai_openrouter_key:
            raise AssistantUnavailable(MISSING_KEY)
        return Provider(
            "openrouter", "OpenRouter", settings.OPENROUTER_BASE_URL, user.ai_openrouter_model, user.ai_openrouter_key
        )
    if user.ai_ollama_enabled:
        if urlparse(user.ai_ollama_url).scheme not in ("http", "https"):
            raise AssistantUnavailable(OLLAMA_URL_ERROR)
        return Provider("ollama", "Ollama", user.ai_ollama_url, user.ai_ollama_model)
    raise AssistantUnavailable(DISABLED)


def assistant_status(*, user: User) -> dict:
    """Ce que montre le panneau : actif ou non, fournisseur et modèle, sinon la raison."""
    try:
        provider = provider_for(user=user)
    except AssistantUnavailable as exc:
        return {"enabled": False, "provider": None, "model": None, "detail": str(exc)}
    return {"enabled": True, "provider": provider.label, "model": provider.model, "detail": ""}
