"""Un seul « Tout couper » à la fois par utilisateur (contrainte en base) : deux appuis simultanés font une passe,
le second rend celle en cours sans rien refaire ; une passe interrompue depuis longtemps ne bloque plus ; le broker
d'un autre : 404."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.orders.models import Trade
from apps.panic.cut import cut_everything
from apps.panic.models import CutRun
from apps.panic.tests.conftest import aristobot_left

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_presses_cut_once(alice, fake_binance, make_broker, place):
    broker = make_broker(alice)
    place(alice, broker, quantity=Decimal("0.002"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    place(alice, broker, quantity=Decimal("0.001"), order_type="limit", price=Decimal("40000"))
    fake_binance.delay = 0.2  # chaque réponse de l'exchange attend : la première passe dure
    start, results = threading.Barrier(2), []

    def press():
        start.wait()
        try:
            results.append(cut_everything(user=alice))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(started for _, started in results) == [False, True]
    assert len({run.pk for run, _ in results}) == 1 and CutRun.objects.count() == 1
    assert aristobot_left(alice) == (0, 0)
    assert Trade.objects.filter(side="sell", role="", status="filled").count() == 1  # vendue une fois
    assert [method for method, path, _ in fake_binance.requests if path == "/api/v3/order"].count("POST") == 3


def test_a_run_left_running_long_ago_does_not_block(alice, paper_broker):
    old = CutRun.objects.create(user=alice, scope="tous les brokers")
    CutRun.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(minutes=11))

    run, started = cut_everything(user=alice)

    assert started and run.pk != old.pk and run.status == "done"
    old.refresh_from_db()
    assert old.status == "interrupted"


def test_a_run_in_progress_is_returned_without_doing_anything(alice, alice_api, paper_broker):
    running = CutRun.objects.create(user=alice, scope="tous les brokers")

    response = alice_api.post("/api/panic/", {}, format="json")

    assert response.status_code == 200
    assert (response.data["id"], response.data["started"], response.data["status"]) == (running.pk, False, "running")
    assert CutRun.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [("post", "/api/panic/"), ("post", "/api/panic/resume/"), ("get", "/api/panic/preview/?broker={id}")],
)
def test_another_users_broker_is_not_found(bob, alice_api, make_broker, method, url):
    theirs = make_broker(bob)

    if method == "get":
        response = alice_api.get(url.format(id=theirs.pk))
    else:
        response = alice_api.post(url, {"broker": theirs.pk}, format="json")

    assert response.status_code == 404
    assert response.data["detail"] == f"Broker inconnu : {theirs.pk}."
    assert not CutRun.objects.exists()
