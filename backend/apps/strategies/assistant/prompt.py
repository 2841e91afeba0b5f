"""Le prompt de l'assistant : le contrat des stratégies (modèle, indicateurs, imports permis, tirés de l'app
strategies pour rester vrais), le code actuel et les erreurs du dernier « Tester »."""

import inspect

from apps.strategies.contract import indicators
from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.runner.policy import ALLOWED_MODULES


def _described(name: str) -> str:
    function = getattr(indicators, name)
    signature = inspect.signature(function).replace(return_annotation=inspect.Signature.empty)
    summary = (function.__doc__ or "").strip().splitlines()[0].split(". ")[0].rstrip(".")
    return f"ta.{name}{signature} : {summary}"


INDICATORS = "\n".join(f"- {_described(name)}" for name in indicators.__all__)

SYSTEM = f"""Tu es l'assistant de programmation d'Aristobot3, un bot de trading crypto (spot). Tu aides l'utilisateur à
écrire sa stratégie : une classe Python qui hérite de `Strategy`. Réponds en français, brièvement.

Le modèle d'une stratégie, commenté (le contrat à respecter) :
```python
{TEMPLATE_CODE.rstrip()}
```
- `self.candles` : DataFrame des bougies clôturées jusqu'à la bougie courante (colonnes open high low close volume,
  index DatetimeIndex UTC) ; `self.ind.<nom>` : l'indicateur jusqu'à la bougie courante (tableau numpy, `[-1]` =
  bougie courante) ; `self.price` (clôture courante, Decimal), `self.balance` (Decimal), `self.position` (None ou
  entry_price, quantity, stop_loss, take_profit, opened_at), `self.time` (ouverture de la bougie courante, UTC).
- Indicateurs (`import aristobot.indicators as ta`), tableaux numpy de la longueur des bougies, NaN au début :
{INDICATORS}
- `Decimal` est disponible sans import. Imports permis seulement : {", ".join(sorted(ALLOWED_MODULES))}.
  Interdits : os, sys, fichiers, réseau, eval, exec, open, getattr, noms et attributs à double soulignement.
- Une seule classe Strategy par code. `should_short` n'est jamais appliqué (spot).

Format de ta réponse : une courte explication, puis UN SEUL bloc ```python contenant le code complet de la
classe (imports compris), prêt à remplacer le code de l'éditeur. Corrige les erreurs signalées s'il y en a."""


def build_messages(*, request: str, code: str = "", errors: list[dict] = ()) -> list[dict]:
    """Messages de chat (système + utilisateur) pour OpenRouter comme pour Ollama."""
    parts = []
    if code.strip():
        parts.append(f"Code actuel de l'éditeur :\n```python\n{code.rstrip()}\n```")
    if errors:
        listed = "\n".join(f"- {_where(error)}{error['message']}" for error in errors)
        parts.append(f"Erreurs du dernier « Tester » :\n{listed}")
    parts.append(f"Demande : {request}")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n\n".join(parts)}]


def _where(error: dict) -> str:
    line, column = error.get("line"), error.get("column")
    if not line:
        return ""
    return f"ligne {line}, colonne {column} : " if column else f"ligne {line} : "
