from django.urls import path

from apps.stats import views

urlpatterns = [
    path("stats/balance/", views.BalanceView.as_view(), name="stats-balance"),
]
