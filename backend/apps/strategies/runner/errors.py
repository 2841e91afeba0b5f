"""Erreurs du code utilisateur, avec la ligne de la stratégie où elles sont nées."""

from apps.strategies.runner.policy import STRATEGY_FILENAME, CodeError


class StrategyCodeError(Exception):
    """Le code de la stratégie a échoué (exception, refus du bac à sable, valeur rendue invalide)."""

    def __init__(self, message: str, *, line: int | None = None, method: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.method = method

    def as_code_error(self) -> CodeError:
        return CodeError(self.line, None, self.message)


class PolicyRefused(Exception):
    """Le code ne passe pas la politique de compilation (syntaxe, imports, noms interdits)."""

    def __init__(self, errors: list[CodeError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def user_line(exc: BaseException) -> int | None:
    """La ligne la plus profonde de la stratégie dans la pile de `exc` (sans lire aucun fichier)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == STRATEGY_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def from_exception(exc: BaseException, *, method: str) -> StrategyCodeError:
    line = user_line(exc)
    where = f"{method}" + (f", ligne {line}" if line else "")
    text = str(exc) or type(exc).__name__
    if isinstance(exc, MemoryError):
        text = "mémoire épuisée (limite du runner atteinte)"
    elif type(exc).__name__ != "SandboxViolation":
        text = f"{type(exc).__name__} : {text}"
    return StrategyCodeError(f"Erreur dans {where} : {text}", line=line, method=method)
