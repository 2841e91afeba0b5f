from django.urls import path

from apps.stats import views

urlpatterns = [
    path("stats/balance/", views.BalanceView.as_view(), name="stats-balance"),
    path("stats/summary/", views.SummaryView.as_view(), name="stats-summary"),
    path("stats/strategies/", views.PerformanceView.as_view(by="strategy", curves=True), name="stats-strategies"),
    path("stats/webhooks/", views.PerformanceView.as_view(by="webhook", curves=True), name="stats-webhooks"),
    path("stats/trades.csv", views.TradesCsvView.as_view(), name="stats-trades-csv"),
]
