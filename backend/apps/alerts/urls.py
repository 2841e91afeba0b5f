from django.urls import path

from apps.alerts import views

urlpatterns = [
    path("", views.AlertListView.as_view(), name="alerts"),
    path("read/", views.AlertReadView.as_view(), name="alerts-read"),
    path("settings/", views.AlertSettingsView.as_view(), name="alerts-settings"),
    path("settings/telegram-code/", views.TelegramCodeView.as_view(), name="alerts-telegram-code"),
    path("settings/telegram-unlink/", views.TelegramUnlinkView.as_view(), name="alerts-telegram-unlink"),
    path("test/", views.AlertTestView.as_view(), name="alerts-test"),
    path("services/", views.ServicesView.as_view(), name="alerts-services"),
]
