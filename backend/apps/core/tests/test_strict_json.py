"""Le lecteur JSON de l'API refuse en 400 français ce qui faisait une 500 : imbrication, nombres extrêmes, NUL."""

import pytest

pytestmark = pytest.mark.django_db

PUT = "/api/accounts/preferences/"
NASTY_NUMBERS = [
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,
    "-" + "9" * 5000,
    "99999999999999999999",
    "1" + "0" * 400 + ".5",
]


def _put(client, url, raw: str):
    return client.generic("PUT", url, raw, content_type="application/json")


@pytest.mark.parametrize("number", NASTY_NUMBERS)
def test_extreme_numbers_in_default_broker_are_a_400(alice_api, number):
    response = _put(alice_api, PUT, f'{{"default_broker": {number}}}')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON refusé") or "nombre" in response.json()["detail"]


def test_big_but_finite_float_still_reaches_the_serializer(alice_api):
    response = _put(alice_api, PUT, '{"default_broker": 1e300}')
    assert response.status_code == 400
    assert response.json() == {"default_broker": ["Broker inconnu : choisissez un de vos brokers."]}


@pytest.mark.parametrize("url", ["/api/auth/login/", PUT, "/api/brokers/", "/api/trading/orders/"])
def test_deeply_nested_json_is_a_400(alice_api, url):
    for depth in (33, 5000, 200_000):
        response = alice_api.generic(
            "POST" if url != PUT else "PUT", url, "[" * depth + "]" * depth, content_type="application/json"
        )
        assert response.status_code == 400, (url, depth)
        assert "trop imbriqué" in response.json()["detail"]


def test_nesting_up_to_the_limit_is_read(alice_api):
    nested = '{"theme": "light", "x": ' + "[" * 31 + "]" * 31 + "}"
    response = _put(alice_api, PUT, nested)
    assert response.status_code == 200
    assert response.json()["theme"] == "light"


@pytest.mark.parametrize(
    "raw, message",
    [
        ('{"theme": "li\\u0000ght"}', "caractère NUL refusé"),
        ('{"display_timezone": "\\ud800"}', "demi-paire isolée"),
        ('{"\\u0000": 1}', "caractère NUL refusé"),
    ],
)
def test_strings_postgresql_cannot_store_are_a_400(alice_api, raw, message):
    response = _put(alice_api, PUT, raw)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_not_json_and_not_utf8_are_a_400(alice_api):
    assert _put(alice_api, PUT, "{theme: light").status_code == 400
    response = alice_api.generic("PUT", PUT, b'{"theme": "\xff"}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Corps illisible : UTF-8 attendu."


def test_form_bodies_are_refused_with_415(alice_api):
    response = alice_api.put(
        PUT, "default_broker=99999999999999999999999", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_nul_in_the_address_is_a_400(alice_api):
    response = alice_api.get("/api/markets/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Caractère NUL refusé dans l'adresse."}
    assert alice_api.get("/api/markets/", {"search": "abc"}).status_code == 200
