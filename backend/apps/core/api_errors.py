"""Le seul gestionnaire d'erreurs de l'API (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Refus métier (ValidationError de Django) → 400 {"detail"} ; objet absent ou d'un autre → 404 ; demande
contraire à une autre déjà enregistrée → 409 ;
erreur d'exchange → 502 {"detail", "code"} (504 quand la porte a cessé d'attendre).
"""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import Conflict, ExchangeError, ExchangeTimeout


def api_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ExchangeError):
        code = status.HTTP_504_GATEWAY_TIMEOUT if isinstance(exc, ExchangeTimeout) else status.HTTP_502_BAD_GATEWAY
        return Response({"detail": exc.message, "code": type(exc).__name__}, status=code)
    return drf_exception_handler(exc, context)
