"""Règles de CLAUDE.md vérifiables par programme : vues sans try/except (les refus passent par
`core/api_errors.py`) et lignes d'un utilisateur rattachées à lui."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

APPS = Path(__file__).resolve().parents[2]
# Vues qui attrapent encore une erreur elles-mêmes (à faire passer par le gestionnaire unique).
VIEWS_WITH_TRY = {"strategies/assistant/views.py"}
# Tables partagées ou techniques, sans propriétaire.
SHARED = {
    "accounts.User",
    "accounts.LoginFailure",
    "core.ServiceBeat",
    "market_data.Candle",
    "market_data.Market",
    "heartbeat.HeartbeatStatus",
    "heartbeat.HeartbeatConfig",
    "alerts.Incident",
}


def _view_modules() -> list[Path]:
    return [
        path
        for path in APPS.rglob("*.py")
        if "tests" not in path.parts and (path.name == "views.py" or path.parent.name == "views")
    ]


def test_views_do_not_catch_errors():
    catching = {
        str(path.relative_to(APPS))
        for path in _view_modules()
        if any(isinstance(node, ast.Try) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert len(_view_modules()) > 10  # la recherche trouve bien les vues
    assert catching == VIEWS_WITH_TRY


def _user_field(model) -> bool:
    return any(
        field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
        for field in model._meta.get_fields()
        if field.concrete
    )


def test_each_user_row_reaches_its_user_in_one_step():
    """`user_id` sur la ligne, ou sur la ligne qu'elle désigne (broker, stratégie, activation, alerte)."""
    far = []
    for model in apps.get_models():
        if not model.__module__.startswith("apps.") or model._meta.label in SHARED or _user_field(model):
            continue
        parents = [
            field.related_model
            for field in model._meta.get_fields()
            if field.concrete and field.is_relation and field.many_to_one and not field.null
        ]
        if not any(_user_field(parent) for parent in parents):
            far.append(model._meta.label)
    assert far == []
