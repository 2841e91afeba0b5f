"""Le libellé de la progression : une décimale sous 10 %, pour qu'une stratégie lente avance visiblement."""

import pytest

from apps.backtest.models import BacktestRun


@pytest.mark.parametrize(
    ("phase", "progress", "label"),
    [
        ("compute", 0.0, "Calcul 0 %"),
        ("compute", 0.3, "Calcul 0,3 %"),
        ("compute", 9.9, "Calcul 9,9 %"),
        ("compute", 12.7, "Calcul 12 %"),
        ("download", 4.0, "Téléchargement des bougies 4 %"),
    ],
)
def test_progress_label(phase, progress, label):
    run = BacktestRun(status=BacktestRun.Status.RUNNING, phase=phase, progress=progress)
    assert run.progress_label == label
