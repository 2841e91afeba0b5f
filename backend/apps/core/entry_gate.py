"""Le contrôle des entrées avant envoi : le service d'ordres l'appelle pour chaque achat (il ouvre ou augmente une
position), quelle qu'en soit l'origine ; une app s'y enregistre (apps.risk, ses limites). Un refus lève une
ValidationError au message français commençant par REFUSAL, enregistrée comme Trade refusé. Le trading manuel
peut passer outre, sur confirmation explicite de l'utilisateur, dans un bloc `override_confirmed(user)`."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

REFUSAL = "Entrée refusée par les limites de risque. "
_gates: list[Callable[[object], None]] = []
_confirmed: ContextVar[int | None] = ContextVar("entry_override_confirmed", default=None)


def register_entry_gate(gate: Callable[[object], None]) -> None:
    if gate not in _gates:
        _gates.append(gate)


def check_entry(trade) -> None:
    """`trade` : le Trade préparé (broker, symbol, quantity, price, source, book), pas encore envoyé."""
    for gate in _gates:
        gate(trade)


@contextmanager
def override_confirmed(user) -> Iterator[None]:
    """Les achats manuels de `user` passés dans ce bloc outrepassent les limites (le contrôle l'enregistre)."""
    token = _confirmed.set(user.pk)
    try:
        yield
    finally:
        _confirmed.reset(token)


def override_confirmed_by(user_id: int) -> bool:
    return _confirmed.get() == user_id


def refused_by_limits(error: str) -> bool:
    """Le refus d'un Trade vient-il des limites (le trading manuel propose alors de passer outre) ?"""
    return error.startswith(REFUSAL)
