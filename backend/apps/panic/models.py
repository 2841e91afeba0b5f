from django.conf import settings
from django.db import models
from django.db.models import Q


class CutRun(models.Model):
    """Un « Tout couper » d'un utilisateur (tous ses brokers, ou un seul) et son rapport : ce qui a été fait, ce qui
    reste. Une seule passe en cours par utilisateur (contrainte) : un second appui pendant la première ne fait rien."""

    class Status(models.TextChoices):
        RUNNING = "running", "en cours"
        DONE = "done", "terminé"
        INTERRUPTED = "interrupted", "interrompu"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cut_runs")
    broker = models.ForeignKey("brokers.Broker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    scope = models.CharField(max_length=100)  # « tous les brokers » ou le nom du broker, gardé s'il est supprimé
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    report = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "« Tout couper »"
        verbose_name_plural = "« Tout couper »"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="running"), name="one_running_cut_per_user")
        ]

    def __str__(self) -> str:
        return f"Tout couper {self.scope} ({self.get_status_display()})"


class EntryHalt(models.Model):
    """Entrées arrêtées par « Tout couper » : les webhooks d'achat de l'utilisateur (sur ce broker, ou sur tous si
    `broker` est vide) sont refusés jusqu'à « Reprendre les entrées »."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_halts")
    broker = models.ForeignKey("brokers.Broker", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(CutRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entrées arrêtées"
        verbose_name_plural = "entrées arrêtées"
        constraints = [
            models.UniqueConstraint(fields=["user", "broker"], name="one_halt_per_user_broker"),
            models.UniqueConstraint(fields=["user"], condition=Q(broker__isnull=True), name="one_halt_per_user_all"),
        ]

    def __str__(self) -> str:
        return f"Entrées arrêtées ({self.broker or 'tous les brokers'})"
