"""Le processus runner : lancé par `client.py` avec un environnement minimal, sans Django ni secret.

Ordre : plafond mémoire, imports, confinement par le système (`confinement/`), paquet `aristobot`
synthétique, échauffement (pandas charge des modules à la demande), crochet d'audit, puis
une boucle requête → réponse sur stdin / stdout (`codec.py`).
"""

import os
import queue
import sys
import threading
from decimal import Decimal

import numpy as np

try:
    import resource
except ImportError:  # Windows : pas de RLIMIT_AS, le plafond de mémoire n'y est pas posé
    resource = None

from apps.strategies.contract.base import Position, utc_from_ms
from apps.strategies.runner import codec, confinement
from apps.strategies.runner.aliases import install_aliases
from apps.strategies.runner.audit import install_audit_hook
from apps.strategies.runner.driver import CANDLE_FIELDS, StrategyDriver
from apps.strategies.runner.dry_run import dry_run as run_dry
from apps.strategies.runner.errors import PolicyRefused, StrategyCodeError
from apps.strategies.runner.loader import load_strategy_class, overrides_short
from apps.strategies.runner.sample import WARMUP_CODES, generated_candles
from apps.strategies.runner.simulation import fee_or_default, simulate

SHORT_IGNORED = "should_short / go_short sont redéfinies mais ignorées : le bot trade en spot (achat seulement)."


def _candles(arrays: dict) -> dict[str, np.ndarray]:
    missing = [name for name in CANDLE_FIELDS if name not in arrays]
    if missing:
        raise ValueError(f"Bougies incomplètes : {', '.join(missing)}.")
    if len({len(arrays[name]) for name in CANDLE_FIELDS}) != 1:
        raise ValueError("Bougies incohérentes : colonnes de longueurs différentes.")
    return {name: arrays[name] for name in CANDLE_FIELDS}


def _position(data: dict | None) -> Position | None:
    if not data:
        return None

    def level(v):
        return None if v is None else Decimal(v)

    return Position(
        Decimal(data["entry_price"]),
        Decimal(data["quantity"]),
        level(data.get("stop_loss")),
        level(data.get("take_profit")),
        utc_from_ms(int(data["opened_at_ms"])),
    )


def check(body: dict, arrays: dict, channel: "Channel") -> dict:
    strategy_class = load_strategy_class(body["code"])
    return {
        "class": strategy_class.__name__,
        "warmup": getattr(strategy_class, "warmup", 2),
        "warnings": [SHORT_IGNORED] if overrides_short(strategy_class) else [],
    }


def decide(body: dict, arrays: dict, channel: "Channel") -> dict:
    """Décision du direct à la clôture de la dernière bougie de la fenêtre."""
    driver = StrategyDriver(load_strategy_class(body["code"]), _candles(arrays))
    if driver.length == 0:
        raise ValueError("Aucune bougie.")
    decision = driver.decide(
        driver.length - 1, balance=Decimal(body["balance"]), position=_position(body.get("position"))
    )
    return decision.as_dict()


def dry_run(body: dict, arrays: dict, channel: "Channel") -> dict:
    """« Tester » : chaque méthode sur des bougies (voir dry_run.py)."""
    strategy_class = load_strategy_class(body["code"])
    result = run_dry(strategy_class, _candles(arrays), balance=Decimal(body.get("balance", "10000")))
    return {
        "class": strategy_class.__name__,
        **result,
        "warnings": [SHORT_IGNORED] if overrides_short(strategy_class) else [],
    }


def backtest(body: dict, arrays: dict, channel: "Channel") -> tuple[dict, dict]:
    """Toute la boucle du backtest ici, sans aller-retour par bougie ; progression et annulation par le canal."""
    channel.cancelled = False
    driver = StrategyDriver(load_strategy_class(body["code"]), _candles(arrays))
    step = body.get("quantity_step")
    initial_cash = float(body["initial_cash"])
    if not initial_cash > 0:
        raise ValueError(f"Montant de départ invalide : {body['initial_cash']!r}.")
    result = simulate(
        driver,
        initial_cash=initial_cash,
        fee=fee_or_default(body.get("fee")),
        quantity_step=float(step) if step else None,
        progress=channel.progress,
        should_stop=channel.cancel_pending,
    )
    return result.as_message()


def diagnostics(body: dict, arrays: dict, channel: "Channel") -> dict:
    return dict(_DIAGNOSTICS)


COMMANDS = {"check": check, "decide": decide, "dry_run": dry_run, "backtest": backtest, "diagnostics": diagnostics}
_DIAGNOSTICS: dict = {}


class Channel:
    """stdin / stdout du runner : messages, progression, demande d'annulation lue entre deux bougies.

    Un fil lit stdin et range chaque message dans une file (sans `select`, qui ne lit pas un tube sous Windows) ;
    il part avant le crochet d'audit."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.messages: queue.Queue = queue.Queue()
        self.cancelled = False
        threading.Thread(target=self._pump, name="runner-stdin", daemon=True).start()

    def read_exactly(self, size: int) -> bytes:
        chunks, missing = [], size
        while missing:
            chunk = self.reader.read(missing)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _pump(self) -> None:
        try:
            while True:
                self.messages.put(codec.read_message(self.read_exactly))
        except BaseException as exc:  # EOFError : le processus principal a fermé le tube
            self.messages.put(exc)

    def receive(self) -> tuple[dict, dict]:
        item = self.messages.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def send(self, body: dict, arrays: dict | None = None) -> None:
        self.writer.write(codec.encode(body, arrays))
        self.writer.flush()

    def progress(self, fraction: float) -> bool:
        """Envoie la progression (non arrondie : une bougie sur des centaines de milliers compte) ; vrai si le
        processus principal a demandé l'annulation."""
        self.send({"progress": fraction})
        return self.cancel_pending()

    def cancel_pending(self) -> bool:
        """Vrai si l'annulation du calcul en cours est arrivée (lecture sans attente)."""
        if self.cancelled:
            return True
        try:
            item = self.messages.get_nowait()
        except queue.Empty:
            return False
        if isinstance(item, BaseException):
            raise item
        self.cancelled = item[0].get("command") == "cancel"
        return self.cancelled


def handle(body: dict, arrays: dict, channel: Channel) -> tuple[dict, dict | None]:
    command = COMMANDS.get(body.get("command"))
    if command is None:
        return {"ok": False, "error": {"kind": "internal", "message": "Commande inconnue."}}, None
    try:
        result = command(body.get("args", {}), arrays, channel)
        result, out = result if isinstance(result, tuple) else (result, None)
        return {"ok": True, "result": result}, out
    except EOFError:
        raise
    except PolicyRefused as exc:
        error = {"kind": "policy", "message": str(exc), "errors": [e.as_dict() for e in exc.errors]}
    except StrategyCodeError as exc:
        error = {"kind": "code", "message": exc.message, "line": exc.line, "method": exc.method}
    except MemoryError:
        error = {
            "kind": "code",
            "message": "Mémoire épuisée (limite du runner atteinte).",
            "line": None,
            "method": None,
        }
    except Exception as exc:
        error = {"kind": "internal", "message": f"Erreur du runner : {type(exc).__name__} : {exc}"}
    return {"ok": False, "error": error}, None


def _warm_up() -> None:
    """Charge d'avance ce que numpy / pandas importeraient à la demande (refusé après le crochet)."""
    candles = generated_candles(300)
    for code in WARMUP_CODES:
        driver = StrategyDriver(load_strategy_class(code), candles)
        for i in range(driver.length):
            driver.decide(i, balance=Decimal("1000"), position=None)
    frame = driver.frame()
    repr(frame.tail())
    frame["close"].rolling(5).mean().ewm(span=5).mean().diff().pct_change().shift(1).fillna(0).cumsum()
    frame.resample("1h").agg({"open": "first", "close": "last"})
    np.percentile(frame["close"].to_numpy(), 50)
    str(np.float64(1.5)), format(Decimal("1.5"), "f"), utc_from_ms(0).isoformat()


def start(memory_limit_bytes: int, layers) -> tuple[Channel, dict]:
    """Plafond mémoire, sorties standard vers /dev/null (le tube garde sa copie), confinement par le système,
    puis le canal (et son fil) : rien de l'utilisateur n'a encore été lu."""
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))
    out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    report = confinement.confine(os.getcwd(), keep_fds={0, 1, 2, out}, layers=layers)
    channel = Channel(os.fdopen(0, "rb", buffering=0), os.fdopen(out, "wb"))
    if "rlimits" in layers and resource is not None:
        confinement.forbid_new_tasks()
    return channel, report


def main(memory_limit_bytes: int, layers=confinement.LAYERS) -> None:
    channel, report = start(memory_limit_bytes, layers)
    install_aliases()
    _warm_up()
    _DIAGNOSTICS.update(
        {
            "environ": sorted(os.environ),
            "cwd": os.getcwd(),
            "pid": os.getpid(),
            "rlimit_as": resource.getrlimit(resource.RLIMIT_AS)[0] if resource is not None else None,
            "django_loaded": any(name.startswith("django") for name in sys.modules),
            "confinement": report,
        }
    )
    install_audit_hook()
    channel.send({"ready": True, "confinement": report["missing"]})
    while True:
        try:
            body, arrays = channel.receive()
            if body.get("command") != "cancel":  # une annulation arrivée après la fin du calcul
                channel.send(*handle(body, arrays, channel))
        except EOFError:
            return
