from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import dev_mode, login_throttle, services
from apps.accounts.dev_mode import dev_mode_for, dev_user
from apps.accounts.serializers import (
    ActAsSerializer,
    DevChoiceSerializer,
    LoginSerializer,
    PasswordChangeSerializer,
    PreferencesSerializer,
    UserSerializer,
)
from apps.core.symbols import USD_ASSETS


def _session_payload(request, user) -> dict:
    authenticated = user is not None and user.is_authenticated
    return {
        "user": UserSerializer(user).data if authenticated else None,
        "dev_mode": dev_mode_for(request),
        "usd_assets": sorted(USD_ASSETS),  # les montants dans ces actifs s'affichent en USD
    }


@method_decorator(ensure_csrf_cookie, name="dispatch")
class CurrentUserView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(_session_payload(request, request.user))


@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        wait = login_throttle.request_retry_after(request, serializer.validated_data["username"])
        if wait:
            return Response(
                {"detail": login_throttle.too_many_message(wait)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(wait)},
            )
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            return Response(
                {"detail": "Nom d'utilisateur ou mot de passe incorrect."}, status=status.HTTP_400_BAD_REQUEST
            )
        login(request, user)
        response = Response(_session_payload(request, user))
        login_throttle.remember_place(response, request, user.get_username())
        return response


class LogoutView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        logout(request)
        return Response(_session_payload(request, dev_user() if dev_mode_for(request) else None))


class DevModeView(APIView):
    """« Se connecter comme… » : refusé (403, en français) hors mode dev ou par un proxy, avant de lire le corps."""

    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        dev_mode.ensure_dev_mode(request)


class DevUsersView(DevModeView):
    def get(self, request):
        return Response({"users": DevChoiceSerializer(dev_mode.choices(request=request), many=True).data})


class DevActAsView(DevModeView):
    def post(self, request):
        serializer = ActAsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = dev_mode.act_as(request=request, user_id=serializer.validated_data["user_id"])
        return Response(_session_payload(request, user))

    def delete(self, request):
        return Response(_session_payload(request, dev_mode.back_to_dev(request=request)))


class PasswordChangeView(APIView):
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, **serializer.validated_data)
        if request.session.session_key:
            update_session_auth_hash(request, request.user)
        return Response({"detail": "Mot de passe modifié."})


class PreferencesView(APIView):
    def get(self, request):
        return Response(PreferencesSerializer(request.user).data)

    def put(self, request):
        serializer = PreferencesSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.preferences_update(user=request.user, data=dict(serializer.validated_data))
        return Response(PreferencesSerializer(user).data)
