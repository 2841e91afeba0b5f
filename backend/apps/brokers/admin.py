from django import forms
from django.contrib import admin

from apps.brokers.models import Broker, PaperBalance, PaperOrder
from apps.brokers.services import SECRET_FIELDS
from apps.core.encryption import UNREADABLE_LABEL, is_unreadable

SECRET_LABELS = {"api_key": "Clé API", "api_secret": "Secret", "api_password": "Passphrase"}


class BrokerAdminForm(forms.ModelForm):
    """Identifiants en écriture seule : l'admin ne les montre jamais ; laissés vides, ils sont gardés."""

    api_key = forms.CharField(
        label=SECRET_LABELS["api_key"], required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    api_secret = forms.CharField(
        label=SECRET_LABELS["api_secret"], required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    api_password = forms.CharField(
        label=SECRET_LABELS["api_password"], required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )

    class Meta:
        model = Broker
        fields = "__all__"  # noqa: DJ007 : tous les champs, les secrets remplacés par les champs ci-dessus

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in SECRET_FIELDS:
            stored = getattr(self.instance, field)
            state = UNREADABLE_LABEL if is_unreadable(stored) else "enregistré" if stored else "aucun"
            self.initial[field] = ""
            self.fields[field].help_text = f"Actuel : {state}. Laisser vide pour garder."

    def clean(self):
        cleaned = super().clean()
        for field in SECRET_FIELDS:
            if not cleaned.get(field):
                cleaned[field] = getattr(self.instance, field)
        return cleaned


@admin.register(Broker)
class BrokerAdmin(admin.ModelAdmin):
    # Jamais de secret, ni dans la liste ni dans le formulaire ; le propriétaire voit les siens dans Mon compte.
    form = BrokerAdminForm
    list_display = ["name", "user", "exchange", "description", "is_testnet", "updated_at"]
    list_filter = ["exchange", "is_testnet"]
    search_fields = ["name", "description", "user__username"]


@admin.register(PaperBalance)
class PaperBalanceAdmin(admin.ModelAdmin):
    list_display = ["broker", "currency", "free", "used"]
    list_filter = ["currency"]


@admin.register(PaperOrder)
class PaperOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "broker", "symbol", "type", "side", "amount", "price", "trigger_kind", "status", "created_at"]
    list_filter = ["status", "type", "side"]
