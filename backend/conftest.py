"""Le petit monde des tests : alice et bob (utilisateurs normaux), dev, et leurs clients API."""

import io
import logging

import pytest
from rest_framework.test import APIClient

from apps.accounts.services import init_aristobot
from testing.parallel import test_database_name, use_worker_redis

pytest_plugins = ["testing.fixtures"]  # faux exchanges, porte des exchanges

PASSWORD = "mot-de-passe-solide-42"


def pytest_configure(config):
    """Mots de passe des utilisateurs des tests hachés en une itération (testing/hashers.py) ; sous pytest-xdist,
    une base Redis par worker (testing/parallel.py)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["testing.hashers.FastPBKDF2PasswordHasher"]
    use_worker_redis(settings)


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, **fields):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def dev(db, django_user_model):
    init_aristobot()
    return django_user_model.objects.get(username="dev")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def alice_api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def bob_api(bob):
    client = APIClient()
    client.force_authenticate(bob)
    return client


@pytest.fixture
def admin_api(make_user):
    """Un administrateur (is_staff) : les réglages communs à tous, comme les symboles du heartbeat."""
    client = APIClient()
    client.force_authenticate(make_user("admin", is_staff=True))
    return client


@pytest.fixture
def dev_mode(settings):
    settings.DEBUG = True
    settings.DEBUG_ARISTOBOT = True
    settings.DEV_MODE = True


@pytest.fixture
def prod_mode(settings):
    settings.DEBUG = False
    settings.DEBUG_ARISTOBOT = False
    settings.DEV_MODE = False


@pytest.fixture
def console_log():
    """Ce qu'écrit le handler `console` de settings.LOGGING, filtres compris (les loggers `django.*` ne
    remontent pas jusqu'à caplog)."""
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """Une base de test par session (ARISTOBOT_TEST_DB_SUFFIX) et par worker pytest-xdist."""
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    test["NAME"] = "test_" + test_database_name(settings.DATABASES["default"]["NAME"])


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Une couche Channels neuve par test : ses verrous asyncio sont liés à la boucle du test qui l'a créée."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def webhook_reception_in_request_thread(settings):
    """Le client de test sert la réception dans le fil du test (sa transaction reste visible) ; les tests contre un
    vrai Daphne (`web_process`) passent par les fils de réception."""
    settings.WEBHOOK_RECEIVE_THREADS = 0
