from django.urls import path

from apps.strategies.assistant import views

urlpatterns = [
    path("", views.AssistantView.as_view(), name="strategies-assistant"),
    path("status/", views.AssistantStatusView.as_view(), name="strategies-assistant-status"),
]
