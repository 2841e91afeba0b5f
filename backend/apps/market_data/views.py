from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination

from apps.market_data.selectors import markets_list
from apps.market_data.serializers import MarketSerializer


class MarketPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class MarketListView(ListAPIView):
    """GET /api/markets/?exchange=&quote=&search=&page= (table partagée par tous les utilisateurs)."""

    serializer_class = MarketSerializer
    pagination_class = MarketPagination

    def get_queryset(self):
        params = self.request.query_params
        return markets_list(
            exchange=params.get("exchange", ""), quote=params.get("quote", ""), search=params.get("search", "")
        )
