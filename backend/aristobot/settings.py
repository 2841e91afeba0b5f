"""Réglages d'Aristobot3 : tout vient de l'environnement (.env à la racine)."""

import logging
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from aristobot.env import (
    LOCAL_DATABASE_URL,
    LOCAL_REDIS_URL,
    database_from_url,
    env_bool,
    env_fernet_key,
    env_int,
    env_list,
    env_map,
    env_str,
    env_url,
    load_dotenv,
)

load_dotenv()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
DEBUG_ARISTOBOT = env_bool("DEBUG_ARISTOBOT", False)
# Le mode dev (connexion automatique de "dev") n'est honoré qu'avec DEBUG=True.
DEV_MODE = DEBUG and DEBUG_ARISTOBOT

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY manquante ou trop courte (32 caractères minimum) : lancez `make run` "
        "qui crée .env, ou copiez .env.example en .env."
    )

# Clé Fernet des secrets au repos, indépendante de SECRET_KEY ; les anciennes restent lisibles (rotation).
FIELD_ENCRYPTION_KEY = env_fernet_key("FIELD_ENCRYPTION_KEY")
FIELD_ENCRYPTION_KEYS_OLD = [
    env_fernet_key("FIELD_ENCRYPTION_KEYS_OLD", key) for key in env_list("FIELD_ENCRYPTION_KEYS_OLD")
]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://localhost:5173,http://127.0.0.1:5173")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "apps.core",
    "apps.accounts",
    "apps.market_data",
    "apps.heartbeat",
    "apps.brokers",
    "apps.orders",
    "apps.trading_engine",
    "apps.trading_manual",
    "apps.webhooks",
    "apps.strategies",
    "apps.backtest",
    "apps.stats",
    "apps.alerts",
    "apps.risk",
]

MIDDLEWARE = [
    "apps.core.error_pages.PublicErrorsMiddleware",
    "apps.core.nul_guard.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.DevModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "aristobot.urls"
ASGI_APPLICATION = "aristobot.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"), LOCAL_DATABASE_URL)
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", ("redis",), LOCAL_REDIS_URL)
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # Un rattrapage du heartbeat publie des centaines de vagues d'un coup (une par minute rattrapée) : au-delà
        # de `capacity` messages en attente, un abonné (moteur, navigateur) perdrait les suivants.
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 10_000},
    }
}

AUTH_USER_MODEL = "accounts.User"
# La limite des essais de connexion (10 échecs / 15 min par nom et par adresse) passe avant le mot de passe.
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "apps.core.api_errors.api_exception_handler",
    # JSON seulement, et refus en 400 de ce qui ferait une 500 (imbrication, NaN, 1e309, entiers géants, NUL).
    "DEFAULT_PARSER_CLASSES": ["apps.core.json_parser.StrictJSONParser"],
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Aristobot3 API",
    "VERSION": "3.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} : niveau inconnu (DEBUG, INFO, WARNING, ERROR).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s : %(message)s"}},
    # Tout handler porte `mask_secrets` : le jeton webhook des chemins n'atteint aucune ligne.
    "filters": {"mask_secrets": {"()": "apps.core.log_masking.MaskSecretsFilter"}},
    "handlers": {
        "console": {"class": "aristobot.console.ConsoleHandler", "formatter": "plain", "filters": ["mask_secrets"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# Le heartbeat est « actif » si un message Binance est arrivé dans ces N dernières secondes.
HEARTBEAT_ACTIVE_SECONDS = env_int("HEARTBEAT_ACTIVE_SECONDS", 10)
# Flux WebSocket et REST lus par le heartbeat ; un simulateur local les remplace hors ligne.
BINANCE_WS_URL = env_url("BINANCE_WS_URL", ("ws", "wss"), "wss://stream.binance.com:9443")
BINANCE_REST_URL = env_url("BINANCE_REST_URL", ("http", "https"), "https://api.binance.com")

# Porte des exchanges (CCXT) : délai d'une requête, essais des lectures, hôte de remplacement par exchange
# (ex. « binance=http://127.0.0.1:9100 » pour un faux Binance local, démos hors ligne et tests).
CCXT_TIMEOUT_MS = env_int("CCXT_TIMEOUT_MS", 10000)
CCXT_RETRIES = env_int("CCXT_RETRIES", 2)
CCXT_RETRY_DELAY_MS = env_int("CCXT_RETRY_DELAY_MS", 1000)
# Délai global d'un appel synchrone à la porte des exchanges (vues) : au-delà, 504 en français.
EXCHANGE_CALL_TIMEOUT_SECONDS = env_int("EXCHANGE_CALL_TIMEOUT_SECONDS", 30)
EXCHANGE_API_URLS = env_map("EXCHANGE_API_URLS")

# Derrière un proxy ou un tunnel : en-tête posé par ce proxy de confiance qui porte l'IP du client (ex.
# « X-Forwarded-For », dernière adresse retenue) pour le filtre IP des webhooks et la limite des connexions ;
# vide = l'adresse de la connexion (REMOTE_ADDR). WEBHOOK_TRUSTED_PROXY_HEADER est son ancien nom.
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "") or env_str("WEBHOOK_TRUSTED_PROXY_HEADER", "")
# Accès public en HTTPS par un proxy qui pose X-Forwarded-Proto : cookies Secure, request.is_secure() juste.
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
# Un proxy est déclaré : `make run` avertit si le mode dev est aussi actif.
PROXY_CONFIGURED = bool(TRUSTED_PROXY_HEADER) or BEHIND_HTTPS_PROXY
# Au-delà, une livraison est enregistrée mais refusée (429) : protège d'un jeton divulgué.
WEBHOOK_RATE_PER_MINUTE = env_int("WEBHOOK_RATE_PER_MINUTE", 120)
# Fils (et connexions PostgreSQL gardées) de la réception des webhooks ; 0 = fil de chaque requête (tests).
WEBHOOK_RECEIVE_THREADS = env_int("WEBHOOK_RECEIVE_THREADS", 4)
# Journal des alertes reçues pendant une panne de PostgreSQL (rejouées à son retour : webhooks/outage_journal.py).
WEBHOOK_BUFFER_DIR = env_str("WEBHOOK_BUFFER_DIR") or str(BASE_DIR.parent / ".data" / "webhook-buffer")

# Assistant IA des stratégies : API d'OpenRouter (autre adresse pour un proxy ou les tests) ; délai en secondes
# pour se connecter au fournisseur puis entre deux morceaux de sa réponse.
OPENROUTER_BASE_URL = env_url("OPENROUTER_BASE_URL", ("http", "https"), "https://openrouter.ai/api/v1")
AI_TIMEOUT_SECONDS = env_int("AI_TIMEOUT_SECONDS", 60)
# Runner des stratégies : plafond de mémoire (RLIMIT_AS) et délai d'un appel du direct (une bougie).
STRATEGY_RUNNER_MEMORY_MB = env_int("STRATEGY_RUNNER_MEMORY_MB", 1024)
STRATEGY_CALL_TIMEOUT_MS = env_int("STRATEGY_CALL_TIMEOUT_MS", 2000)

# Alertes : bot Telegram de l'installation (jeton de @BotFather, vide = pas de Telegram), adresse de l'API Bot
# (un faux serveur local dans les tests), attente longue de getUpdates ; SMTP de Django (EMAIL_HOST vide = pas
# d'e-mail) ; premier délai de réessai d'un envoi en échec (doublé à chaque essai, 5 essais).
TELEGRAM_BOT_TOKEN = env_str("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_BOT_USERNAME = env_str("TELEGRAM_BOT_USERNAME", "")
TELEGRAM_API_URL = env_url("TELEGRAM_API_URL", ("http", "https"), "https://api.telegram.org")
TELEGRAM_POLL_SECONDS = env_int("TELEGRAM_POLL_SECONDS", 25)
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "aristobot@localhost")
ALERT_RETRY_SECONDS = env_int("ALERT_RETRY_SECONDS", 30)
# Signe de vie de chaque service de fond (s), relu par le chien de garde.
SERVICE_BEAT_SECONDS = env_int("SERVICE_BEAT_SECONDS", 20)
# Chien de garde : une passe toutes les N s ; dernière bougie 1m plus vieille que N s ; service muet depuis N s.
WATCHDOG_INTERVAL_SECONDS = env_int("WATCHDOG_INTERVAL_SECONDS", 30)
WATCHDOG_CANDLE_SECONDS = env_int("WATCHDOG_CANDLE_SECONDS", 150)
WATCHDOG_SILENT_SECONDS = env_int("WATCHDOG_SILENT_SECONDS", 120)
WATCHDOG_RECONCILER_SECONDS = env_int("WATCHDOG_RECONCILER_SECONDS", 180)  # le réconciliateur passe chaque minute
# Refuser d'exécuter une stratégie si le runner n'a pas pu se confiner entièrement (Landlock, seccomp, espaces de
# noms) : "auto" = oui dès qu'un autre utilisateur que le propriétaire existe ; "true" / "false" sinon.
STRATEGY_REQUIRE_CONFINEMENT = env_str("STRATEGY_REQUIRE_CONFINEMENT", "auto").lower() or "auto"
if STRATEGY_REQUIRE_CONFINEMENT not in ("auto", "true", "false"):
    raise ImproperlyConfigured("STRATEGY_REQUIRE_CONFINEMENT doit valoir auto, true ou false.")
