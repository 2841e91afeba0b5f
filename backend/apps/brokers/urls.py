from django.urls import path

from apps.brokers import views

urlpatterns = [
    path("brokers/", views.BrokerListView.as_view(), name="brokers"),
    path("brokers/exchanges/", views.ExchangeListView.as_view(), name="broker-exchanges"),
    path("brokers/test/", views.BrokerTestView.as_view(), name="broker-test"),
    path("brokers/<int:pk>/", views.BrokerDetailView.as_view(), name="broker-detail"),
    path("brokers/<int:pk>/reveal/", views.BrokerRevealKeysView.as_view(), name="broker-reveal-keys"),
    path("brokers/<int:pk>/test/", views.BrokerSavedTestView.as_view(), name="broker-saved-test"),
    path("brokers/<int:pk>/reload-markets/", views.BrokerReloadMarketsView.as_view(), name="broker-reload-markets"),
]
