"""Pages d'erreur publiques, en français, sans rien de technique.

Avec DEBUG=True, seul le poste local direct (`client_address.is_local_request`) voit les pages techniques
de Django (trace, réglages, liste des routes) ; tout autre visiteur, et tout le monde avec DEBUG=False,
reçoit ces réponses : JSON `{"detail": ...}` sous /api/, une courte page HTML ailleurs. PostgreSQL injoignable :
503 avec Retry-After pour tous, jamais une 500 (la requête suivante se reconnecte : CONN_HEALTH_CHECKS).
"""

import sys
from html import escape

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.debug import ExceptionReporter

from apps.core.client_address import is_local_request

MESSAGES = {
    400: "Requête invalide.",
    403: "Accès refusé.",
    404: "Page introuvable.",
    500: "Erreur interne du serveur : elle est consignée dans le journal.",
}
TOO_BIG = "Requête trop volumineuse."
DATABASE_DOWN = "Base de données indisponible : réessayez dans quelques secondes."
DATABASE_RETRY_AFTER = 5  # secondes


def public_error(request, status: int, message: str | None = None) -> HttpResponse:
    message = message or MESSAGES.get(status, MESSAGES[500])
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    text = escape(message)
    page = f'<!doctype html><html lang="fr"><meta charset="utf-8"><title>{text}</title><h1>{text}</h1></html>'
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return public_error(request, 400, TOO_BIG if isinstance(exception, RequestDataTooBig) else None)


def permission_denied(request, exception=None):
    return public_error(request, 403)


def not_found(request, exception=None):
    return public_error(request, 404)


def _database_down(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable(request) -> HttpResponse:
    response = public_error(request, 503, DATABASE_DOWN)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def server_error(request):
    if _database_down(sys.exc_info()[1]):  # appelé dans le `except` de Django
        return database_unavailable(request)
    return public_error(request, 500)


class _DatabaseAwareReporter(ExceptionReporter):
    """Page technique de DEBUG, sauf base injoignable : notée sur la requête, le middleware répond 503."""

    def _database_down(self) -> bool:
        if _database_down(self.exc_value):
            self.request.database_down = True
            return True
        return False

    def get_traceback_html(self):
        return "" if self._database_down() else super().get_traceback_html()

    def get_traceback_text(self):
        return "" if self._database_down() else super().get_traceback_text()


class _QuietReporter(_DatabaseAwareReporter):
    """Remplace la page technique 400/500 : note l'erreur sur la requête, le middleware répond à sa place."""

    def _quiet(self) -> str:
        self._database_down()
        self.request.public_error_message = TOO_BIG if isinstance(self.exc_value, RequestDataTooBig) else None
        return ""

    def get_traceback_html(self):
        return self._quiet()

    def get_traceback_text(self):
        return self._quiet()


def _technical_404(response) -> bool:
    return response.status_code == 404 and response.get("Content-Type", "").startswith("text/html")


class PublicErrorsMiddleware:
    """Premier middleware : avec DEBUG=True, la page technique n'est servie qu'au poste local direct."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DEBUG:
            return self.get_response(request)
        local = is_local_request(request)
        request.exception_reporter_class = _DatabaseAwareReporter if local else _QuietReporter
        response = self.get_response(request)
        if getattr(request, "database_down", False):
            return database_unavailable(request)
        if local:
            return response
        if hasattr(request, "public_error_message") or _technical_404(response):
            return public_error(request, response.status_code, getattr(request, "public_error_message", None))
        return response
