from django.db import models

PRICE = {"max_digits": 30, "decimal_places": 12}
VOLUME = {"max_digits": 38, "decimal_places": 12}


class Candle(models.Model):
    """Bougie clôturée (partagée par tous les utilisateurs) ; écriture idempotente sur la clé unique."""

    exchange = models.CharField(max_length=32, default="binance")
    symbol = models.CharField(max_length=32)
    timeframe = models.CharField(max_length=4)
    open_time = models.DateTimeField()
    close_time = models.DateTimeField()
    open = models.DecimalField(**PRICE)
    high = models.DecimalField(**PRICE)
    low = models.DecimalField(**PRICE)
    close = models.DecimalField(**PRICE)
    volume = models.DecimalField(**VOLUME)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bougie"
        constraints = [
            models.UniqueConstraint(fields=["exchange", "symbol", "timeframe", "open_time"], name="unique_candle")
        ]
        ordering = ["exchange", "symbol", "timeframe", "open_time"]

    def __str__(self) -> str:
        return f"{self.exchange} {self.symbol} {self.timeframe} {self.open_time:%Y-%m-%d %H:%M}"


class Market(models.Model):
    """Paire d'un exchange (partagée) ; precision et limits gardent la structure CCXT, nombres en texte."""

    exchange = models.CharField(max_length=32)
    symbol = models.CharField(max_length=64)
    base = models.CharField(max_length=32)
    quote = models.CharField(max_length=32)
    type = models.CharField(max_length=16, default="spot")
    active = models.BooleanField(default=True)
    precision = models.JSONField(default=dict, blank=True)
    limits = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "paire"
        constraints = [models.UniqueConstraint(fields=["exchange", "symbol"], name="unique_market")]
        ordering = ["exchange", "symbol"]

    def __str__(self) -> str:
        return f"{self.exchange} {self.symbol}"
