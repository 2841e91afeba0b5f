"""Les livres : à qui appartient une position. Chaque source tient le sien sur une paire d'un broker — le trading
manuel, une activation, une source de webhook (le nom de la stratégie ou le `comment` du signal) — avec sa
quantité, sa protection et son P&L. Module pur (ni base, ni exchange).
"""

MANUAL = "manual"
ACTIVATION = "activation:"
WEBHOOK = "webhook:"
MAX_LENGTH = 100


def activation(activation_id: int) -> str:
    return f"{ACTIVATION}{activation_id}"


def webhook(name: str = "") -> str:
    """Le livre d'une source de webhook : son nom (stratégie / comment du signal), vide pour les signaux anonymes."""
    return f"{WEBHOOK}{name.strip()}"[:MAX_LENGTH]


def of_order(*, source: str, active_strategy_id: int | None = None, webhook_name: str = "") -> str:
    """Le livre d'un ordre d'après son origine : une activation, une source de webhook, sinon le trading manuel."""
    if active_strategy_id is not None:
        return activation(active_strategy_id)
    if source == "webhook":
        return webhook(webhook_name)
    return MANUAL


def label(book: str) -> str:
    """Le livre en français, pour l'utilisateur."""
    if book.startswith(ACTIVATION):
        return f"activation n° {book.removeprefix(ACTIVATION)}"
    if book.startswith(WEBHOOK):
        name = book.removeprefix(WEBHOOK)
        return f"webhook « {name} »" if name else "webhook"
    return "trading manuel"


# Ordre dans lequel le réconciliateur réduit les livres quand le compte détient moins que leur somme (vente faite
# sur l'exchange, hors d'Aristobot) : d'abord le manuel (c'est l'utilisateur qui vend à la main), puis les webhooks,
# puis les activations ; dans chaque groupe, la position la plus récente d'abord.
def shrink_rank(book: str) -> int:
    if book == MANUAL:
        return 0
    return 1 if book.startswith(WEBHOOK) else 2
