from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.alerts import preferences, status
from apps.alerts.models import AlertEvent
from apps.alerts.serializers import (
    AlertEventSerializer,
    AlertSettingsUpdateSerializer,
    MarkReadSerializer,
    TestChannelSerializer,
)

LIST_SIZE = 50


class AlertListView(APIView):
    """Les dernières alertes de la cloche et le nombre de non lues."""

    def get(self, request):
        events = AlertEvent.objects.filter(user=request.user)
        return Response(
            {
                "unread": events.filter(read_at=None).count(),
                "results": AlertEventSerializer(events[:LIST_SIZE], many=True).data,
            }
        )


class AlertReadView(APIView):
    """Marque lues les alertes `ids` (toutes sans `ids`)."""

    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        events = AlertEvent.objects.filter(user=request.user, read_at=None)
        if "ids" in serializer.validated_data:
            events = events.filter(pk__in=serializer.validated_data["ids"])
        return Response({"marked": events.update(read_at=timezone.now())})


class AlertSettingsView(APIView):
    def get(self, request):
        return Response(preferences.describe(preferences.settings_for(request.user.pk)))

    def put(self, request):
        serializer = AlertSettingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(preferences.describe(preferences.update(user_id=request.user.pk, **serializer.validated_data)))


class TelegramCodeView(APIView):
    """Nouveau code de liaison, à envoyer au bot depuis le chat à lier (`/start CODE`)."""

    def post(self, request):
        return Response(preferences.describe(preferences.new_link_code(user_id=request.user.pk)))


class TelegramUnlinkView(APIView):
    def post(self, request):
        return Response(preferences.describe(preferences.unlink_chat(user_id=request.user.pk)))


class AlertTestView(APIView):
    def post(self, request):
        serializer = TestChannelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preferences.test_alert(user_id=request.user.pk, **serializer.validated_data)
        return Response({"detail": "Test mis en file : il arrive dans quelques secondes."}, status=202)


class ServicesView(APIView):
    """Page Services : chaque service, son dernier signe de vie, ses relances du jour, les incidents ouverts."""

    def get(self, request):
        return Response(status.snapshot())
