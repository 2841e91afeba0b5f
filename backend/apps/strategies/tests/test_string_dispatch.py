"""Les méthodes de pandas qui appellent une fonction donnée par son *nom* (l'évasion connue :
`DataFrame.apply("eval", expr=…, local_dict=…)` atteignait l'évaluateur de pandas sans les gardes, puis
`_posixsubprocess.fork_exec`). Seuls les noms de réductions simples passent ; le reste est refusé en français,
à la compilation si le nom est écrit en toutes lettres, dans le runner s'il est calculé."""

import pytest

from apps.strategies.runner.client import CodeRefused, StrategyFailed
from apps.strategies.tests.conftest import strategy_code

ESCAPE = "@m.io.common.os.sys.modules"
EVAL = "'ev' + 'al'"  # nom calculé : la politique ne le voit pas, les gardes si

LITERAL = {
    "DataFrame.apply eval (l'évasion connue)": f"self.candles.apply('eval', expr='{ESCAPE}', local_dict={{'m': pd}})",
    "DataFrame.agg eval": "self.candles.agg('eval', expr='close + 1')",
    "DataFrame.aggregate query": "self.candles.aggregate('query', expr='close > 0')",
    "DataFrame.transform eval": "self.candles.transform('eval', expr='close + 1')",
    "DataFrame.pipe eval": "self.candles.pipe('eval', expr='close + 1')",
    "Series to_frame apply eval": "self.candles['close'].to_frame().apply('eval', expr='close + 1')",
    "Series.agg to_pickle": "self.candles['close'].agg('to_pickle', 'x.pkl')",
    "agg list with eval": "self.candles.agg(['sum', 'eval'])",
    "agg dict with eval": "self.candles.agg({'close': 'eval'})",
    "groupby agg eval": "self.candles.groupby('volume').agg('eval')",
    "groupby named agg": "self.candles.groupby('volume').agg(haut=('high', 'eval'))",
    "rolling agg eval": "self.candles['close'].rolling(5).agg('eval')",
    "resample agg eval": "self.candles.resample('1h').agg({'close': 'eval'})",
    "pivot_table aggfunc": "self.candles.pivot_table(index='volume', values='close', aggfunc='eval')",
}
COMPUTED = {
    "DataFrame.apply": f"self.candles.apply({EVAL}, expr='{ESCAPE}', local_dict={{'m': pd}})",
    "DataFrame.agg": f"self.candles.agg({EVAL}, expr='close + 1')",
    "DataFrame.aggregate": "self.candles.aggregate('que' + 'ry', expr='close > 0')",
    "DataFrame.transform": f"self.candles.transform({EVAL}, expr='close + 1')",
    "DataFrame.pipe": f"self.candles.pipe({EVAL}, expr='close + 1')",
    "Series.apply": f"self.candles['close'].apply({EVAL})",
    "Series to_frame": f"self.candles['close'].to_frame().apply({EVAL}, expr='close + 1')",
    "agg list": f"self.candles.agg(['sum', {EVAL}])",
    "agg dict": f"self.candles.agg({{'close': {EVAL}}})",
    "groupby agg": f"self.candles.groupby('volume').agg({EVAL})",
    "groupby transform": f"self.candles.groupby('volume')['close'].transform({EVAL})",
    "groupby named agg": f"self.candles.groupby('volume').agg(haut=('high', {EVAL}))",
    "rolling agg": f"self.candles['close'].rolling(5).agg({EVAL})",
    "expanding agg": f"self.candles['close'].expanding().agg({EVAL})",
    "ewm agg": f"self.candles['close'].ewm(span=5).agg({EVAL})",
    "resample agg": f"self.candles.resample('1h').agg({{'close': {EVAL}}})",
    "getattr apply": f"getattr(self.candles, 'app' + 'ly')({EVAL}, expr='close + 1')",
    "pd.pivot_table": f"pd.pivot_table(self.candles, index='volume', values='close', aggfunc={EVAL})",
    "unbound DataFrame.apply": f"pd.DataFrame.apply(self.candles, {EVAL}, expr='close + 1')",
    "to_csv by name": "self.candles.apply('to_' + 'csv', path_or_buf='x.csv')",
}


@pytest.mark.parametrize("name", list(LITERAL))
def test_literal_name_refused_at_compile_time(runner, candles, name):
    with pytest.raises(CodeRefused) as caught:
        runner.call("dry_run", {"code": strategy_code(f"{LITERAL[name]}\nreturn False")}, candles, timeout=30)
    assert any("fonction donnée par son nom" in error.message for error in caught.value.errors), caught.value.errors


@pytest.mark.parametrize("name", list(COMPUTED))
def test_computed_name_refused_in_the_runner(runner, candles, name):
    with pytest.raises(StrategyFailed) as caught:
        runner.call("dry_run", {"code": strategy_code(f"{COMPUTED[name]}\nreturn False")}, candles, timeout=30)
    assert "fonction donnée par son nom" in caught.value.message


@pytest.mark.parametrize("name", ["pivot_table", "crosstab"])
def test_dispatching_functions_cannot_be_imported_bare(runner, candles, name):
    with pytest.raises(CodeRefused) as caught:
        runner.call("dry_run", {"code": strategy_code(f"from pandas import {name}\nreturn False")}, candles, timeout=30)
    assert any(f"Import interdit : « {name} »" in error.message for error in caught.value.errors)


def test_plain_reductions_and_functions_still_work(runner, candles):
    body = """
    frame = self.candles
    total = frame['close'].agg('sum') + frame.agg(['mean', 'max'])['close'].sum()
    total += frame.resample('1h').agg({'open': 'first', 'close': 'last'})['close'].sum()
    total += frame.groupby('volume').agg(haut=('high', 'max'))['haut'].sum()
    total += frame['close'].rolling(5).agg('mean').fillna(0).sum()
    total += frame['close'].apply(lambda x: x * 2).sum() + frame.pipe(len)
    total += frame.transform('cumsum', axis='index')['close'].iloc[-1]
    return total > 0
    """
    assert runner.call("dry_run", {"code": strategy_code(body)}, candles, timeout=60)["candles"] == 200
