from django.urls import path

from apps.webhooks import views

urlpatterns = [
    path("webhooks/", views.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/token/", views.WebhookTokenView.as_view(), name="webhook-token"),
    path("webhooks/token/regenerate/", views.WebhookTokenRegenerateView.as_view(), name="webhook-token-regenerate"),
]
