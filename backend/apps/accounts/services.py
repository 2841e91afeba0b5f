"""Cas d'usage des comptes : préférences, mot de passe, utilisateurs initiaux."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import DEV_USERNAME, User

INITIAL_USER = ("dac", "aristobot")


def _apply_preferences(user: User, data: dict) -> None:
    key = data.pop("ai_openrouter_key", None)
    if key:
        user.ai_openrouter_key = key
    for field, value in data.items():
        setattr(user, field, value)
    if user.ai_openrouter_enabled and user.ai_ollama_enabled:
        raise ValidationError("Un seul assistant IA peut être actif : OpenRouter ou Ollama.")
    if user.ai_openrouter_enabled and not user.ai_openrouter_key:
        raise ValidationError("Renseignez la clé API OpenRouter pour l'activer.")
    user.full_clean(exclude=["password"])


@transaction.atomic
def preferences_update(*, user: User, data: dict) -> User:
    """Applique des préférences déjà validées par le serializer ; la clé vide garde l'ancienne.

    Refus : ValidationError (français), et `user` reprend ses valeurs enregistrées.
    """
    try:
        _apply_preferences(user, dict(data))
    except ValidationError:
        user.refresh_from_db()
        raise
    user.save()
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change le mot de passe ; ValidationError (français) si l'ancien est faux ou le nouveau trop faible."""
    if not user.has_usable_password():
        raise ValidationError("Cet utilisateur n'a pas de mot de passe (utilisateur dev).")
    if not user.check_password(old_password):
        raise ValidationError("Ancien mot de passe incorrect.")
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])


@transaction.atomic
def init_aristobot() -> list[str]:
    """Crée `dev` (sans mot de passe, superutilisateur) et `dac`; idempotent. Retourne les messages."""
    users = get_user_model().objects
    messages = []
    if users.filter(username=DEV_USERNAME).exists():
        messages.append("Utilisateur 'dev' déjà présent : inchangé.")
    else:
        dev = users.create(username=DEV_USERNAME, is_staff=True, is_superuser=True)
        dev.set_unusable_password()
        dev.save(update_fields=["password"])
        messages.append("Utilisateur 'dev' créé (sans mot de passe).")
    username, password = INITIAL_USER
    if users.filter(username=username).exists():
        messages.append(f"Utilisateur '{username}' déjà présent : inchangé.")
    else:
        users.create_superuser(username=username, password=password, email="")
        messages.append(f"Utilisateur '{username}' créé (mot de passe '{password}').")
    return messages
