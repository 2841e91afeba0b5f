"""Banc du backtest : barres par seconde de la boucle du runner contre backtesting.py 0.6.6, même données,
même exécution, et les deux listes de trades comparées (elles doivent être identiques).

Données : les bougies LTC/BTC 5m partagées (865), répétées à l'endroit puis en miroir (bougies inversées,
ouverture et clôture échangées) pour une courbe continue et bornée, jusqu'à un an de 5m (105 120 bougies) ;
puis un an de 1m (525 600) de bout en bout ; puis la même stratégie écrite avec `self.candles` seulement
(le chemin lent). Stratégie : croisement SMA 10/30, stop-loss 2 %, take-profit 3 %, frais 0,1 %, pas de
quantité 1e-8 (FractionalBacktest de backtesting.py). Le temps du runner compte l'envoi des bougies, la
compilation, indicators(), la boucle et le retour des trades et de la courbe (runner déjà démarré) ; celui
de backtesting.py compte son `run()` (statistiques comprises). La machine étant partagée, chaque moteur
tourne `--repeat` fois, en alternance, et le meilleur temps de chacun est retenu.

Usage : .venv/bin/python bench/backtest_bench.py [--bars 105120] [--minute-bars 525600] [--slow-bars 105120]
        [--repeat 3]
Sans base ni Redis : le runner est lancé directement.
"""

import argparse
import time
import warnings
from pathlib import Path

import bench_setup  # noqa: F401  (chemins du projet)
import numpy as np
import pandas as pd

from apps.strategies.runner.client import StrategyRunner
from apps.strategies.runner.simulation import trades_from_result
from testing import ltcbtc
from testing.strategy_code import SMA_CROSS

FEE = 0.001
UNIT = 1e-8


SLOW_CODE = """from aristobot.strategies import Strategy


class SmaCrossLente(Strategy):
    warmup = 31

    def cross(self):
        close = self.candles["close"].to_numpy()
        fast, slow = close[-10:].mean(), close[-30:].mean()
        fast_before, slow_before = close[-11:-1].mean(), close[-31:-1].mean()
        return fast - slow, fast_before - slow_before

    def should_long(self):
        now, before = self.cross()
        return now > 0 and before <= 0

    def should_exit(self):
        now, before = self.cross()
        return now < 0 and before >= 0

    def calculate_stop_loss(self):
        return self.price * Decimal("0.98")

    def calculate_take_profit(self):
        return self.price * Decimal("1.03")
"""


def candles(count: int, step_ms: int) -> dict[str, np.ndarray]:
    raw = ltcbtc.frame("5m")
    forward = raw[["open", "high", "low", "close", "volume"]].to_numpy(np.float64)
    mirror = forward[::-1][:, [3, 1, 2, 0, 4]]
    rows = np.resize(np.concatenate([forward, mirror]), (count, 5))
    return {
        "time": int(raw["open_time_ms"].iloc[0]) + step_ms * np.arange(count, dtype=np.int64),
        "open": rows[:, 0].copy(),
        "high": rows[:, 1].copy(),
        "low": rows[:, 2].copy(),
        "close": rows[:, 3].copy(),
        "volume": rows[:, 4].copy(),
    }


def ours(runner: StrategyRunner, code: str, data: dict, *, step: float | None = UNIT) -> tuple[float, dict]:
    started = time.perf_counter()
    result = runner.call(
        "backtest", {"code": code, "initial_cash": 1.0, "fee": FEE, "quantity_step": step}, data, timeout=3600
    )
    result["trades"] = trades_from_result(result)
    return time.perf_counter() - started, result


def reference(data: dict) -> tuple[float, list]:
    from backtesting import Strategy
    from backtesting.lib import FractionalBacktest

    def sma(values, period):
        return pd.Series(values).rolling(period).mean().to_numpy()

    class SmaCross(Strategy):
        def init(self):
            self.fast = self.I(sma, self.data.Close, 10)
            self.slow = self.I(sma, self.data.Close, 30)

        def next(self):
            f, s = self.fast, self.slow
            if not self.position:
                if f[-1] > s[-1] and f[-2] <= s[-2]:
                    price = self.data.Close[-1]
                    self.buy(sl=price * 0.98, tp=price * 1.03)
            elif f[-1] < s[-1] and f[-2] >= s[-2]:
                self.position.close()

    frame = pd.DataFrame(
        {
            "Open": data["open"],
            "High": data["high"],
            "Low": data["low"],
            "Close": data["close"],
            "Volume": data["volume"],
        },
        index=pd.to_datetime(data["time"], unit="ms"),
    )
    test = FractionalBacktest(frame, SmaCross, cash=1.0, commission=FEE, fractional_unit=UNIT)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = test.run()
    elapsed = time.perf_counter() - started
    trades = stats["_trades"]
    return elapsed, list(zip(trades.EntryBar, trades.EntryPrice, trades.ExitBar, trades.ExitPrice, trades.Size))


def same_trades(mine: list[dict], theirs: list) -> bool:
    closed = [t for t in mine if t["exit_reason"] != "end"]
    if len(closed) != len(theirs):
        return False
    return all(
        t["entry_index"] == eb
        and t["exit_index"] == xb
        and np.isclose(t["entry_price"], ep, rtol=1e-9, atol=0)
        and np.isclose(t["exit_price"], xp, rtol=1e-9, atol=0)
        and np.isclose(t["quantity"], size, rtol=1e-9)
        for t, (eb, ep, xb, xp, size) in zip(closed, theirs)
    )


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=105_120)
    parser.add_argument("--minute-bars", type=int, default=525_600)
    parser.add_argument("--slow-bars", type=int, default=105_120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    runner = StrategyRunner()
    try:
        runner.call("check", {"code": SMA_CROSS}, timeout=60)
        year = candles(args.bars, 300_000)
        mine_times, ref_times = [], []
        for _ in range(args.repeat):
            seconds, mine = ours(runner, SMA_CROSS, year)
            mine_times.append(seconds)
            seconds, theirs = reference(year)
            ref_times.append(seconds)
        mine_seconds, ref_seconds = min(mine_times), min(ref_times)
        print(f"1 an de 5m ({args.bars} bougies), SMA 10/30, SL 2 %, TP 3 % :")
        print(
            f"  runner Aristobot : {mine_seconds:7.2f} s  {args.bars / mine_seconds:10,.0f} bougies/s  "
            f"{len(mine['trades'])} trades"
        )
        print(
            f"  backtesting.py   : {ref_seconds:7.2f} s  {args.bars / ref_seconds:10,.0f} bougies/s  "
            f"{len(theirs)} trades"
        )
        print(
            f"  rapport          : {ref_seconds / mine_seconds:.1f}× (objectif ≥ 3×) ; meilleur de {args.repeat}, "
            f"rapports de chaque tour : {', '.join(f'{r / m:.1f}' for m, r in zip(mine_times, ref_times))}"
        )
        print(
            f"  trades identiques (fin de données exceptée) : {'oui' if same_trades(mine['trades'], theirs) else 'NON'}"
        )

        runner.close()
        # Sans pas de quantité : répétées sur un an, les pertes (frais) rendraient la position plus petite qu'un
        # satoshi.
        minute_seconds, minute = ours(runner, SMA_CROSS, candles(args.minute_bars, 60_000), step=None)
        print(
            f"1 an de 1m ({args.minute_bars} bougies) de bout en bout : {minute_seconds:.2f} s  "
            f"({args.minute_bars / minute_seconds:,.0f} bougies/s, {len(minute['trades'])} trades), "
            f"mémoire max du runner {peak_rss_mib(runner.confined_pid):.0f} Mio (plafond 1024)"
        )

        slow_seconds, slow = ours(runner, SLOW_CODE, candles(args.slow_bars, 300_000))
        print(
            f"Même stratégie avec self.candles seulement ({args.slow_bars} bougies) : {slow_seconds:.2f} s  "
            f"({args.slow_bars / slow_seconds:,.0f} bougies/s, {len(slow['trades'])} trades)"
        )
    finally:
        runner.close()


if __name__ == "__main__":
    main()
