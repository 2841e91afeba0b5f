from django.apps import AppConfig


class TradingEngineConfig(AppConfig):
    name = "apps.trading_engine"
    verbose_name = "Moteur de trading"

    def ready(self):
        # Dans ready() : les modèles ne se chargent qu'une fois le registre des apps prêt.
        from apps.heartbeat.followers import register_live_check, register_symbol_source
        from apps.trading_engine.services.activations import active_symbols, any_running  # (idem)

        register_symbol_source(active_symbols)
        register_live_check(any_running)
