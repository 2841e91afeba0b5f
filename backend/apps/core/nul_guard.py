"""PostgreSQL ne sait ni enregistrer ni comparer un caractère NUL : une adresse qui en porte (chemin ou
paramètre, `%00`) est refusée en 400 avant toute vue. Les corps JSON sont gardés par `json_parser`."""

from apps.core.error_pages import public_error

NUL = "\x00"


def _has_nul(request) -> bool:
    return NUL in request.path or any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return public_error(request, 400, "Caractère NUL refusé dans l'adresse.")
        return self.get_response(request)
