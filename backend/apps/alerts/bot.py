"""Les commandes reçues par le bot Telegram : `/start CODE` lie un chat ; ensuite, du chat lié seulement,
/statut, /positions, /pause, /reprendre et /toutcouper (confirmé par un code). Un chat inconnu ne reçoit rien."""

import time
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.alerts.preferences import link_chat, user_for_chat
from apps.alerts.status import snapshot
from apps.core.exceptions import Conflict
from apps.core.french_numbers import french_number
from apps.orders.models import Position
from apps.panic.cut import cut_everything
from apps.panic.scope import preview
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.activations import activation_resume, activation_suspend

User = get_user_model()
HELP = (
    "Commandes : /statut, /positions, /pause (suspend vos stratégies), /reprendre, "
    "/toutcouper (suspend tout, annule les ordres et vend les positions d'Aristobot)."
)
CONFIRM_SECONDS = 120  # durée de validité du code de confirmation de /toutcouper (entre 2 et 4 minutes)


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
    if command == "/toutcouper":
        return _cut(user_id, argument.strip())
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
    lines.append(f"P&L du jour (UTC) : {french_number(pnl or 0)}")
    return "\n".join(lines)


def _time(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC") if iso else "aucune"


def _positions(user_id: int) -> str:
    positions = list(_live_positions(user_id))
    if not positions:
        return "Aucune position ouverte."
    return "\n".join(
        f"- {p.symbol} sur {p.broker.name} ({p.get_source_display()}) : {french_number(p.quantity)} "
        f"à {french_number(p.entry_price) if p.entry_price else '?'}"
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


def _cut_code(user_id: int, window: int) -> str:
    digest = salted_hmac("alerts.toutcouper", f"{user_id}:{window}").hexdigest()
    return f"{int(digest, 16) % 1_000_000:06d}"


def _cut(user_id: int, code: str) -> str:
    """/toutcouper : ce qui sera fait et un code ; /toutcouper CODE (dans les 2 minutes) : « Tout couper »."""
    window = int(time.time()) // CONFIRM_SECONDS
    user = User.objects.get(pk=user_id)
    if code and any(constant_time_compare(code, _cut_code(user_id, w)) for w in (window, window - 1)):
        run, started = cut_everything(user=user)
        if not started:
            return f"Un « Tout couper » est déjà en cours depuis {run.started_at:%Y-%m-%d %H:%M} UTC."
        return run.report["text"]
    plan = preview(user=user)
    lines = [
        "Code périmé ou faux. " if code else "",
        f"Tout couper ({plan['scope']}) va : suspendre {plan['activations']} activation(s), annuler "
        f"{plan['orders']} ordre(s) d'Aristobot, vendre au marché {plan['positions']} position(s) d'Aristobot "
        "(leurs quantités seules) et arrêter les entrées des webhooks.",
    ]
    lines += [
        f"- {b['name']} : {b['activations']} activation(s), {b['orders']} ordre(s), {b['positions']} position(s)"
        for b in plan["brokers"]
    ]
    lines.append(f"Pour confirmer, envoyez : /toutcouper {_cut_code(user_id, window)} (valable 2 minutes).")
    return lines[0] + "\n".join(lines[1:])


COMMANDS = {"/statut": _status, "/positions": _positions, "/pause": _pause, "/reprendre": _resume}
