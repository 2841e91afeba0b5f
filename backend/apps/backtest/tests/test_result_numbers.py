"""Les nombres du calcul en texte : arrondis, sans « -0 », et jamais d'erreur pour un nombre énorme."""

from apps.backtest.services.results import exact, rounded


def test_money_is_rounded_to_eight_places_without_useless_zeros():
    assert rounded(10123.456789012345) == "10123.45678901"
    assert rounded(10000.0) == "10000"
    assert rounded(-1e-12) == "0"
    assert rounded(None) is None and rounded(float("nan")) is None


def test_huge_values_stay_exact_text():
    assert rounded(1e300) == "1" + "0" * 300
    assert rounded(-2.5e20) == "-250000000000000000000"


def test_prices_keep_their_shortest_exact_form():
    assert exact(0.01633016 * 1_000_000) == "16330.16"
    assert exact(1e-8) == "0.00000001"
