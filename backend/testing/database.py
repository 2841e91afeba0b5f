"""URL de la base courante, pour les processus qu'un test lance (Daphne, commandes de service)."""

from django.conf import settings


def database_url(name: str | None = None) -> str:
    """URL PostgreSQL du serveur de test ; `name` désigne une autre base du même serveur."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"
