from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.backtest.serializers import (
    BacktestCandleSerializer,
    BacktestRequestSerializer,
    BacktestRunDetailSerializer,
    BacktestRunSerializer,
    CoverageQuerySerializer,
    CoverageSerializer,
)
from apps.backtest.services import exports
from apps.backtest.services.runs import cancel_run, candle_coverage, create_run, delete_run, user_run, user_runs


class BacktestListView(APIView):
    @extend_schema(responses=BacktestRunSerializer(many=True))
    def get(self, request):
        return Response(BacktestRunSerializer(user_runs(request.user), many=True).data)

    @extend_schema(request=BacktestRequestSerializer, responses={202: BacktestRunSerializer})
    def post(self, request):
        serializer = BacktestRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = create_run(user=request.user, **serializer.validated_data)
        return Response(BacktestRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class BacktestCoverageView(APIView):
    @extend_schema(parameters=[CoverageQuerySerializer], responses=CoverageSerializer)
    def get(self, request):
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(CoverageSerializer(candle_coverage(user=request.user, **query.validated_data)).data)


class BacktestDetailView(APIView):
    @extend_schema(responses=BacktestRunDetailSerializer)
    def get(self, request, pk: int):
        return Response(BacktestRunDetailSerializer(user_run(request.user, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        delete_run(run=user_run(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BacktestCancelView(APIView):
    @extend_schema(request=None, responses=BacktestRunSerializer)
    def post(self, request, pk: int):
        return Response(BacktestRunSerializer(cancel_run(run=user_run(request.user, pk))).data)


class BacktestCandlesView(APIView):
    @extend_schema(responses=BacktestCandleSerializer(many=True))
    def get(self, request, pk: int):
        return Response(exports.run_candles(user_run(request.user, pk)))


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class BacktestTradesCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request, pk: int):
        run = user_run(request.user, pk)
        return _csv_response(exports.trades_csv(run), f"backtest-{run.pk}-trades.csv")


class BacktestEquityCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request, pk: int):
        run = user_run(request.user, pk)
        return _csv_response(exports.equity_csv(run), f"backtest-{run.pk}-equity.csv")
