"""Faux Binance local (flux combiné de klines + REST /api/v3/klines) pour les tests et le mode hors ligne."""
