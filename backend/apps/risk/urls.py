from django.urls import path

from apps.risk import views

urlpatterns = [
    path("brokers/<int:pk>/risk/", views.BrokerLimitsView.as_view(), name="broker-risk-limits"),
]
