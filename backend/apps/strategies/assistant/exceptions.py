"""Erreurs de l'assistant IA ; leurs messages (français, sans secret) sont montrés tels quels à l'utilisateur."""


class AssistantUnavailable(Exception):
    """Aucun assistant utilisable dans Mon compte : la demande est refusée avant tout appel (400)."""


class AssistantError(Exception):
    """L'appel au fournisseur a échoué (injoignable, clé refusée, délai, flux coupé) : l'utilisateur peut réessayer."""
