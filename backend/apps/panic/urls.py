from django.urls import path

from apps.panic import views

urlpatterns = [
    path("", views.CutView.as_view(), name="panic"),
    path("preview/", views.CutPreviewView.as_view(), name="panic-preview"),
    path("resume/", views.ResumeEntriesView.as_view(), name="panic-resume"),
]
