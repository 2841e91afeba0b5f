from django.urls import path

from apps.backtest import views

urlpatterns = [
    path("", views.BacktestListView.as_view(), name="backtests"),
    path("coverage/", views.BacktestCoverageView.as_view(), name="backtest-coverage"),
    path("<int:pk>/", views.BacktestDetailView.as_view(), name="backtest-detail"),
    path("<int:pk>/cancel/", views.BacktestCancelView.as_view(), name="backtest-cancel"),
    path("<int:pk>/candles/", views.BacktestCandlesView.as_view(), name="backtest-candles"),
    path("<int:pk>/trades.csv", views.BacktestTradesCsvView.as_view(), name="backtest-trades-csv"),
    path("<int:pk>/equity.csv", views.BacktestEquityCsvView.as_view(), name="backtest-equity-csv"),
]
