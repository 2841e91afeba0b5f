"""Pages d'erreur publiques, en français, sans rien de technique.

Avec DEBUG=True, seul le poste local direct (`client_address.is_local_request`) voit les pages techniques
de Django (trace, réglages, liste des routes) ; tout autre visiteur, et tout le monde avec DEBUG=False,
reçoit ces réponses : JSON `{"detail": ...}` sous /api/, une courte page HTML ailleurs.
"""

from html import escape

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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


def server_error(request):
    return public_error(request, 500)


class _QuietReporter(ExceptionReporter):
    """Remplace la page technique 400/500 : note l'erreur sur la requête, le middleware répond à sa place."""

    def _quiet(self) -> str:
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
        if not settings.DEBUG or is_local_request(request):
            return self.get_response(request)
        request.exception_reporter_class = _QuietReporter
        response = self.get_response(request)
        if hasattr(request, "public_error_message") or _technical_404(response):
            return public_error(request, response.status_code, getattr(request, "public_error_message", None))
        return response
