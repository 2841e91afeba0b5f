from django.urls import path

from apps.orders import views

urlpatterns = [
    path("positions/", views.PositionListView.as_view(), name="positions"),
    path("positions/marks/", views.PositionMarksView.as_view(), name="position-marks"),
    path("positions/<int:pk>/", views.PositionDetailView.as_view(), name="position"),
    path("positions/<int:pk>/close/", views.PositionCloseView.as_view(), name="position-close"),
]
