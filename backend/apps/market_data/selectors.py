from django.db.models import QuerySet

from apps.market_data.models import Market


def markets_list(*, exchange: str = "", quote: str = "", search: str = "") -> QuerySet[Market]:
    """Paires filtrées (exchange exact, devise de cotation exacte, recherche dans le symbole), actives d'abord."""
    queryset = Market.objects.all()
    if exchange:
        queryset = queryset.filter(exchange=exchange)
    if quote:
        queryset = queryset.filter(quote=quote.upper())
    if search:
        queryset = queryset.filter(symbol__icontains=search.strip())
    return queryset.order_by("-active", "exchange", "symbol")
