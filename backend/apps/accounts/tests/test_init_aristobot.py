from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("init_aristobot", stdout=out)
    return out.getvalue()


def test_creates_dev_and_dac_then_changes_nothing(django_user_model):
    first = run()
    assert "Utilisateur 'dev' créé" in first and "Utilisateur 'dac' créé" in first
    dev = django_user_model.objects.get(username="dev")
    dac = django_user_model.objects.get(username="dac")
    assert not dev.has_usable_password()
    assert dac.check_password("aristobot")
    dac.set_password("autre-mot-de-passe-1")
    dac.save()
    second = run()
    assert "'dev' déjà présent : inchangé" in second and "'dac' déjà présent : inchangé" in second
    assert django_user_model.objects.count() == 2
    dac.refresh_from_db()
    assert dac.check_password("autre-mot-de-passe-1")


def test_admin_lists_the_users(client, django_user_model):
    run()
    client.force_login(django_user_model.objects.get(username="dac"))
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    assert b"dev" in page.content and b"dac" in page.content
