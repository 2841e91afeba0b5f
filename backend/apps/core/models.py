from django.db import models


class ServiceBeat(models.Model):
    """Signe de vie d'un service de fond (`daemon.run_service`), relu par le chien de garde."""

    name = models.CharField(max_length=60, primary_key=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()
    starts = models.JSONField(default=list, blank=True)  # heures ISO des démarrages des dernières 24 h

    class Meta:
        ordering = ["name"]
        verbose_name = "signe de vie d'un service"
        verbose_name_plural = "signes de vie des services"
