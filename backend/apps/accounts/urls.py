from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("auth/current/", views.CurrentUserView.as_view(), name="auth-current"),
    path("auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/dev/users/", views.DevUsersView.as_view(), name="auth-dev-users"),
    path("auth/dev/act-as/", views.DevActAsView.as_view(), name="auth-dev-act-as"),
    path("auth/change-password/", views.PasswordChangeView.as_view(), name="auth-change-password"),
    path("accounts/preferences/", views.PreferencesView.as_view(), name="accounts-preferences"),
]
