"""Les commandes reçues par le bot Telegram : `/start CODE` lie un chat ; ensuite, du chat lié seulement,
/statut, /positions, /pause et /reprendre. Un chat inconnu ne reçoit rien."""

from datetime import datetime

from django.db.models import Sum
from django.utils import timezone

from apps.alerts.preferences import link_chat, user_for_chat
from apps.alerts.status import snapshot
from apps.core.exceptions import Conflict
from apps.orders.models import Position
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.activations import activation_resume, activation_suspend

HELP = "Commandes : /statut, /positions, /pause (suspend vos stratégies), /reprendre."


def answer(*, chat: str, text: str) -> str | None:
    """La réponse à envoyer à `chat`, ou None (chat inconnu : aucune réponse)."""
    command, _, argument = (text or "").strip().partition(" ")
    command = command.split("@")[0].lower()
    if command == "/start" and argument.strip():
        linked = link_chat(code=argument, chat=chat)
        return f"Chat lié au compte {linked.user.username}. {HELP}" if linked else None
    user_id = user_for_chat(chat)
    if user_id is None:
        return None
    handler = COMMANDS.get(command)
    return handler(user_id) if handler else HELP


def _live_positions(user_id: int):
    return Position.objects.filter(user_id=user_id, status__in=Position.LIVE_STATUSES).select_related("broker")


def _status(user_id: int) -> str:
    view = snapshot()
    lines = ["Services :"]
    lines += [f"- {s['name']} : {'en marche' if s['alive'] else 'SILENCIEUX'}" for s in view["services"]]
    heartbeat = view["heartbeat"]
    last = heartbeat["last_candle_at"]
    lines.append(
        f"Heartbeat : {'connecté' if heartbeat['connected'] else 'déconnecté'}, "
        f"{'cohérent' if heartbeat['coherent'] else 'incohérent'}, dernière bougie {_time(last)}"
    )
    lines += [f"Incident : {incident['text']}" for incident in view["incidents"]]
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    pnl = Position.objects.filter(user_id=user_id, status=Position.Status.CLOSED, closed_at__gte=midnight).aggregate(
        total=Sum("realized_pnl")
    )["total"]
    lines.append(f"Positions ouvertes : {_live_positions(user_id).count()}")
    lines.append(f"P&L du jour (UTC) : {pnl or 0:f}")
    return "\n".join(lines)


def _time(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC") if iso else "aucune"


def _positions(user_id: int) -> str:
    positions = list(_live_positions(user_id))
    if not positions:
        return "Aucune position ouverte."
    return "\n".join(
        f"- {p.symbol} sur {p.broker.name} ({p.get_source_display()}) : {p.quantity.normalize():f} "
        f"à {p.entry_price.normalize() if p.entry_price else '?'}"
        for p in positions
    )


def _pause(user_id: int) -> str:
    done = _each(user_id, ActiveStrategy.State.RUNNING, activation_suspend)
    return f"{done} stratégie(s) suspendue(s). /reprendre pour les relancer." if done else "Aucune stratégie en marche."


def _resume(user_id: int) -> str:
    done = _each(user_id, ActiveStrategy.State.SUSPENDED, activation_resume)
    return f"{done} stratégie(s) reprise(s)." if done else "Aucune stratégie suspendue."


def _each(user_id: int, state: str, action) -> int:
    done = 0
    for activation in ActiveStrategy.objects.filter(user_id=user_id, is_active=True, state=state):
        try:
            action(activation=activation)
            done += 1
        except Conflict:  # changée entre-temps
            pass
    return done


COMMANDS = {"/statut": _status, "/positions": _positions, "/pause": _pause, "/reprendre": _resume}
