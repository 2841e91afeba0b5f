"""Le seul endroit qui restreint une requête aux lignes d'un utilisateur."""

from django.conf import settings
from django.db.models import QuerySet


def sees_everyone(user) -> bool:
    """En mode dev, l'utilisateur `dev` voit les données de tous les utilisateurs."""
    return bool(settings.DEV_MODE and getattr(user, "is_dev", False))


def owned(queryset: QuerySet, user) -> QuerySet:
    """Les lignes de `queryset` appartenant à `user` (champ `user`), ou toutes pour `dev` en mode dev."""
    return queryset if sees_everyone(user) else queryset.filter(user=user)
