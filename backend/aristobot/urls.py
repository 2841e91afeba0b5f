from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("apps.accounts.urls")),
    path("api/", include("apps.heartbeat.urls")),
    path("api/", include("apps.brokers.urls")),
    path("api/", include("apps.market_data.urls")),
    path("api/", include("apps.trading_manual.urls")),
    path("api/", include("apps.orders.urls")),
    path("api/", include("apps.webhooks.urls")),
    path("api/", include("apps.stats.urls")),
    path("api/", include("apps.risk.urls")),
    path("api/alerts/", include("apps.alerts.urls")),
    # Avant toute route /api/strategies/ : « assistant/ » n'est pas un identifiant de stratégie.
    path("api/strategies/assistant/", include("apps.strategies.assistant.urls")),
    path("api/strategies/", include("apps.strategies.urls")),
    path("api/backtests/", include("apps.backtest.urls")),
    path("api/active-strategies/", include("apps.trading_engine.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "apps.core.error_pages.bad_request"
handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.not_found"
handler500 = "apps.core.error_pages.server_error"
