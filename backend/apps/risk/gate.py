"""Le contrôle de chaque achat avant envoi (enregistré dans apps.core.entry_gate) : refusé, avec la limite et ses
chiffres, quand une limite du broker est atteinte ou serait dépassée. Les ventes (sorties, stop-loss, take-profit,
« Vendre », « Clôturer ») ne passent jamais ici. Le trading manuel peut passer outre sur confirmation explicite :
la confirmation est enregistrée (RiskOverride)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.entry_gate import REFUSAL, override_confirmed_by
from apps.risk import state
from apps.risk.assessment import Entry, assess
from apps.risk.models import RiskLimits, RiskOverride

MANUAL = "manual"


def check_entry(trade) -> None:
    limits = RiskLimits.objects.filter(broker_id=trade.broker_id).first()
    if limits is None:
        return
    now = timezone.now()
    entry = Entry(symbol=trade.symbol, book=trade.book, quantity=trade.quantity, price=trade.price)
    found = assess(limits, trade.broker, now, entry)
    state.record(trade.broker, found.reached, now)
    if not found.refused:
        return
    if trade.source == MANUAL and override_confirmed_by(trade.user_id):
        for breach in found.refused:
            RiskOverride.objects.create(
                user_id=trade.user_id,
                broker_id=trade.broker_id,
                trade_id=trade.pk,
                limit=breach.limit,
                message=breach.message,
                figures=breach.figures,
            )
        return
    raise ValidationError(REFUSAL + " ".join(breach.message for breach in found.refused))
