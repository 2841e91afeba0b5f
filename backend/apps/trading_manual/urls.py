from django.urls import path

from apps.trading_manual import views

urlpatterns = [
    path("trading/brokers/<int:pk>/portfolio/", views.PortfolioView.as_view(), name="trading-portfolio"),
    path("trading/brokers/<int:pk>/ticker/", views.TickerView.as_view(), name="trading-ticker"),
    path("trading/brokers/<int:pk>/open-orders/", views.OpenOrdersView.as_view(), name="trading-open-orders"),
    path("trading/orders/", views.TradeListView.as_view(), name="trading-orders"),
    path("trading/orders/<int:pk>/cancel/", views.CancelOrderView.as_view(), name="trading-order-cancel"),
    path("trading/orders/<int:pk>/refresh/", views.RefreshOrderView.as_view(), name="trading-order-refresh"),
]
