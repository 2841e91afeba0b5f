from apps.accounts.dev_mode import dev_mode_for, visitor


class DevModeMiddleware:
    """En mode dev, un visiteur anonyme du poste local (sans proxy ni tunnel) devient `dev`, ou l'utilisateur choisi
    par « Se connecter comme… » (sans connexion : `dev_mode.visitor`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and dev_mode_for(request):
            user = visitor(request.session)
            if user is not None:
                request.user = user
        return self.get_response(request)
