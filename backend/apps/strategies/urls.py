from django.urls import path

from apps.strategies import views

urlpatterns = [
    path("", views.StrategyListView.as_view(), name="strategies"),
    path("validate/", views.StrategyValidateView.as_view(), name="strategy-validate"),
    path("template/", views.StrategyTemplateView.as_view(), name="strategy-template"),
    path("<int:pk>/", views.StrategyDetailView.as_view(), name="strategy-detail"),
    path("<int:pk>/test/", views.StrategyTestView.as_view(), name="strategy-test"),
]
