from django.db import models


class HeartbeatStatus(models.Model):
    """État du heartbeat (une seule ligne, pk=1), tenu à jour par `run_heartbeat`."""

    connected = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_candle_at = models.DateTimeField(null=True, blank=True)
    symbols = models.JSONField(default=list, blank=True)
    timeframes = models.JSONField(default=list, blank=True)
    coherent = models.BooleanField(default=False)
    gaps = models.JSONField(default=list, blank=True)
    incoherent_since = models.DateTimeField(null=True, blank=True)
    starting = models.JSONField(default=list, blank=True)  # symboles sans premier rattrapage depuis le démarrage
    backfilling = models.JSONField(default=list, blank=True)  # symboles en cours de rattrapage
    last_error = models.TextField(blank=True, default="")
    counters = models.JSONField(default=dict, blank=True)  # messages reçus, illisibles, ignorés, doublons...
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "état du heartbeat"
        verbose_name_plural = "état du heartbeat"

    @classmethod
    def load(cls) -> "HeartbeatStatus":
        status, _ = cls.objects.get_or_create(pk=1)
        return status


def default_symbols() -> list[str]:
    return ["BTC/USDT", "ETH/USDT"]


class HeartbeatConfig(models.Model):
    """Réglages du heartbeat (une seule ligne, pk=1) : les symboles suivis, au format CCXT."""

    symbols = models.JSONField(default=default_symbols)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages du heartbeat"
        verbose_name_plural = "réglages du heartbeat"

    def __str__(self) -> str:
        return ", ".join(self.symbols)

    @classmethod
    def load(cls) -> "HeartbeatConfig":
        config, _ = cls.objects.get_or_create(pk=1)
        return config
