from django.urls import path

from apps.trading_engine import views

urlpatterns = [
    path("", views.ActivationListView.as_view(), name="active-strategies"),
    path("<int:pk>/", views.ActivationDetailView.as_view(), name="active-strategy-detail"),
    path("<int:pk>/sell/", views.ActivationSellView.as_view(), name="active-strategy-sell"),
    path("<int:pk>/stop/", views.ActivationStopView.as_view(), name="active-strategy-stop"),
    path("<int:pk>/switch-version/", views.ActivationSwitchVersionView.as_view(), name="active-strategy-version"),
    path("<int:pk>/suspend/", views.ActivationSuspendView.as_view(), name="active-strategy-suspend"),
    path("<int:pk>/resume/", views.ActivationResumeView.as_view(), name="active-strategy-resume"),
]
