from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import LoginFailure, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "is_staff", "theme", "display_timezone", "testnet_mode", "last_login"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Aristobot",
            {
                "fields": [
                    "display_timezone",
                    "theme",
                    "testnet_mode",
                    "ai_openrouter_enabled",
                    "ai_openrouter_model",
                    "ai_ollama_enabled",
                    "ai_ollama_url",
                    "ai_ollama_model",
                ]
            },
        ),
    )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "ip"]
    search_fields = ["username", "ip"]
