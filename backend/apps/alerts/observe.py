"""Les alertes tirées des messages privés (ordres, positions, réconciliateur, clés refusées, activations, webhooks,
backtests) : un seul point
d'accroche, `core.channels.register_observer`, au lieu d'un appel dans chaque service."""

from decimal import Decimal, InvalidOperation

from apps.alerts.events import emit
from apps.core.channels import (
    ACTIVE_STRATEGY,
    BACKTEST,
    BROKER_AUTH_FAILED,
    CUT_REPORT,
    ORDER,
    POSITION,
    RECONCILER_REPORT,
    RISK_LIMIT,
    STRATEGY_DECISION,
    WEBHOOK,
)
from apps.core.french_numbers import french_number

SIDES = {"buy": "Achat", "sell": "Vente"}


def _amount(value) -> str:
    """Nombre à la française sans zéros inutiles (« 0.00150000 » devient « 0,0015 »)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    return french_number(number)


def _order(user_id: int, trade: dict) -> None:
    side = SIDES.get(trade.get("side"), trade.get("side"))
    where = f"{trade.get('symbol')} sur {trade.get('broker_name')}"
    if trade.get("status") == "filled":
        price = _amount(trade.get("average_price") or trade.get("price"))
        text = f"{side} exécuté : {_amount(trade.get('filled_quantity'))} {where} à {price}"
        emit(kind="order_filled", user_id=user_id, text=text, data=trade, key=f"trade-{trade['id']}-filled")
    elif trade.get("status") in ("rejected", "failed"):
        text = f"{side} refusé ({where}) : {trade.get('error') or trade.get('status_label')}"
        emit(kind="order_refused", user_id=user_id, text=text, data=trade, key=f"trade-{trade['id']}-refused")
    elif trade.get("status") == "pending" and trade.get("error"):  # réponse perdue : l'ordre a pu partir
        text = f"{side} à l'issue incertaine ({where}) : {trade['error']}"
        emit(kind="order_uncertain", user_id=user_id, text=text, data=trade, key=f"trade-{trade['id']}-uncertain")


def _position(user_id: int, position: dict) -> None:
    where = f"{position.get('symbol')} sur {position.get('broker_name')} ({position.get('source_label')})"
    pk = position["id"]
    if position.get("status") == "open":
        text = (
            f"Position ouverte : {_amount(position.get('quantity'))} {where} à {_amount(position.get('entry_price'))}"
        )
        emit(kind="position_opened", user_id=user_id, text=text, data=position, key=f"position-{pk}-open")
    if position.get("status") == "closed":
        pnl = f"{_amount(position.get('realized_pnl'))} ({_amount(position.get('realized_pnl_pct'))} %)"
        text = f"Position clôturée {where} : P&L {pnl}, raison : {position.get('exit_reason_label') or 'inconnue'}"
        emit(kind="position_closed", user_id=user_id, text=text, data=position, key=f"position-{pk}-closed")
    if position.get("protection") == "watched" and position.get("status") in ("open", "closing"):
        note = position.get("protection_note") or "l'exchange n'a pas accepté la protection"
        text = f"Protection de {where} surveillée par Aristobot : {note}"
        emit(kind="protection_watched", user_id=user_id, text=text, data=position, key=f"position-{pk}-watched")


def _reconciler(user_id: int, report: dict) -> None:
    text = f"Réconciliation de {report.get('broker_name')} : {report.get('found')} {report.get('changed')}"
    emit(kind="reconciler_anomaly", user_id=user_id, text=text, data=report, key=f"reconciler-{report['id']}")


def _risk_limit(user_id: int, reach: dict) -> None:
    if reach.get("reached"):
        text = f"{reach.get('broker_name')} : {reach.get('message')}"
        emit(kind="risk_limit_reached", user_id=user_id, text=text, data=reach, key=f"risk-reach-{reach['id']}")


def _refused_keys(user_id: int, failure: dict) -> None:
    text = f"{failure.get('broker_name')} refuse les clés d'API : {failure.get('error')}. À corriger dans Mon compte."
    key = f"broker-{failure['id']}-auth-{failure.get('version')}"  # une fois par version des clés
    emit(kind="broker_auth_failed", user_id=user_id, text=text, data=failure, key=key)


def _decision(user_id: int, decision: dict) -> None:
    if decision.get("action") == "error":
        text = f"Erreur de la stratégie (activation {decision.get('active_strategy')}) : {decision.get('message')}"
        key = f"decision-{decision.get('active_strategy')}-{decision.get('at')}"
        emit(kind="strategy_error", user_id=user_id, text=text, data=decision, key=key)


def _activation(user_id: int, activation: dict) -> None:
    if activation.get("state") == "error":
        text = (
            f"Stratégie {activation.get('strategy_name')} ({activation.get('symbol')}) suspendue après des erreurs : "
            f"{activation.get('last_error')}"
        )
        key = f"activation-{activation['id']}-error-{activation.get('updated_at')}"
        emit(kind="strategy_suspended", user_id=user_id, text=text, data=activation, key=key)


def _webhook(user_id: int, webhook: dict) -> None:
    if webhook.get("status") in ("invalid", "failed"):
        text = f"Webhook refusé ({webhook.get('status_label')}) : {webhook.get('error')}"
        emit(kind="webhook_refused", user_id=user_id, text=text, data=webhook, key=f"webhook-{webhook['id']}")


def _backtest(user_id: int, run: dict) -> None:
    what = f"{run.get('strategy_name')} sur {run.get('symbol')} {run.get('timeframe')}"
    if run.get("status") == "done":
        text = f"Backtest terminé : {what}, capital final {_amount(run.get('final_amount'))}"
        emit(kind="backtest_done", user_id=user_id, text=text, data={"id": run["id"]}, key=f"backtest-{run['id']}")
    elif run.get("status") == "failed":
        text = f"Backtest en échec : {what} : {run.get('error')}"
        emit(kind="backtest_failed", user_id=user_id, text=text, data={"id": run["id"]}, key=f"backtest-{run['id']}")


def _cut(user_id: int, run: dict) -> None:
    if run.get("status") != "running":
        text = (run.get("report") or {}).get("text") or f"Tout couper ({run.get('scope')}) : {run.get('status_label')}"
        emit(kind="cut_report", user_id=user_id, text=text, data={"id": run["id"]}, key=f"cut-{run['id']}")


HANDLERS = {
    ORDER: _order,
    POSITION: _position,
    RECONCILER_REPORT: _reconciler,
    RISK_LIMIT: _risk_limit,
    BROKER_AUTH_FAILED: _refused_keys,
    STRATEGY_DECISION: _decision,
    ACTIVE_STRATEGY: _activation,
    WEBHOOK: _webhook,
    BACKTEST: _backtest,
    CUT_REPORT: _cut,
}


def on_user_message(user_id: int, kind: str, data: dict) -> None:
    handler = HANDLERS.get(kind)
    if handler is not None and data.get("id", data.get("active_strategy")) is not None:
        handler(user_id, data)
