from django.urls import path

from apps.market_data import views

urlpatterns = [
    path("markets/", views.MarketListView.as_view(), name="markets"),
]
