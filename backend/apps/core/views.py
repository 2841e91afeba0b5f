from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.services.status import status_snapshot


class StatusView(APIView):
    def get(self, request):
        return Response(status_snapshot())
