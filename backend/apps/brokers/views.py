from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.brokers import keys, services
from apps.brokers.models import Broker
from apps.brokers.serializers import BrokerListSerializer, BrokerSerializer, BrokerTestSerializer, RevealSerializer
from apps.core.client_address import client_ip
from apps.core.scoping import owned
from apps.core.serializers import decimal_text
from apps.core.services.ccxt_manager import exchange_ids, exchange_profile
from apps.market_data.services import start_markets_reload


def _brokers(request):
    return owned(Broker.objects.select_related("user"), request.user)


def _broker(request, pk: int) -> Broker:
    return get_object_or_404(_brokers(request), pk=pk)


class ExchangeListView(APIView):
    def get(self, request):
        return Response([exchange_profile(exchange_id) for exchange_id in exchange_ids()])


class BrokerListView(APIView):
    def get(self, request):
        return Response(BrokerListSerializer(_brokers(request), many=True).data)

    def post(self, request):
        serializer = BrokerSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        broker = services.broker_create(user=request.user, data=serializer.validated_data)
        return Response(BrokerSerializer(broker, context={"request": request}).data, status=status.HTTP_201_CREATED)


class BrokerDetailView(APIView):
    def get(self, request, pk: int):
        return Response(BrokerSerializer(_broker(request, pk), context={"request": request}).data)

    def put(self, request, pk: int):
        broker = _broker(request, pk)
        serializer = BrokerSerializer(broker, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        broker = services.broker_update(broker=broker, data=serializer.validated_data)
        return Response(BrokerSerializer(broker, context={"request": request}).data)

    patch = put

    def delete(self, request, pk: int):
        services.broker_delete(broker=_broker(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _test_response(broker: Broker) -> Response:
    balances = services.broker_test(broker=broker)
    text = {
        currency: {name: decimal_text(getattr(balance, name)) for name in ("free", "used", "total")}
        for currency, balance in balances.items()
    }
    return Response({"ok": True, "balances": text})


class BrokerTestView(APIView):
    """« Tester la connexion » du formulaire, avant enregistrement ; `id` reprend les secrets laissés vides."""

    def post(self, request):
        serializer = BrokerTestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pk = data.pop("id", None)
        broker = _broker(request, pk) if pk else Broker(user=request.user)
        services.apply_form(broker, data)
        return _test_response(broker)


class BrokerSavedTestView(APIView):
    def post(self, request, pk: int):
        return _test_response(_broker(request, pk))


class BrokerReloadMarketsView(APIView):
    """« MAJ paires » : lance le chargement en fond et répond tout de suite (202)."""

    def post(self, request, pk: int):
        broker = _broker(request, pk)
        start_markets_reload(broker=broker, user_id=request.user.pk)
        return Response(
            {"detail": f"Chargement des paires de {exchange_profile(broker.exchange)['name']}…"},
            status=status.HTTP_202_ACCEPTED,
        )


class BrokerRevealKeysView(APIView):
    """« Afficher » : les clés en clair, une fois, à leur propriétaire qui retape le mot de passe de son compte."""

    def post(self, request, pk: int):
        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        broker = get_object_or_404(Broker.objects.filter(user=request.user), pk=pk)  # dev : jamais les clés d'un autre
        ip = client_ip(request.META.get("REMOTE_ADDR"), request.headers)
        return Response(keys.reveal(broker=broker, user=request.user, ip=ip, **serializer.validated_data))
