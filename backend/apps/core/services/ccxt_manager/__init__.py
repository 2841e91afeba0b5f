"""La porte des exchanges : le seul endroit qui crée des instances CCXT (et l'exchange paper).

Une instance par (user_id, broker_id), `load_markets()` une fois, réutilisée par tous les appelants
du processus. Toutes vivent dans une boucle asyncio dédiée (fil « exchange-door ») : les vues
synchrones (`ccxt_manager.sync.balances(broker)`), le moteur asynchrone (`await ccxt_manager.balances(broker)`)
et les chargements de fond partagent ainsi les mêmes instances. Méthodes typées : les réponses sont des
structures du projet en Decimal (apps.core.services.exchange_data). Les erreurs CCXT sortent d'ici traduites
(apps.core.exceptions) ; les lectures sont réessayées sur limite de débit et erreur réseau. Les exchanges
qui ne sont pas CCXT (l'exchange paper) s'enregistrent ici depuis leur app (`register_exchange`).

Un module par tâche : `registry` (exchanges connus, création d'une instance), `gate` (débit permis),
`calls` (un appel : traduction, essais, horloge), `rules` (règles du marché), `loop` (la boucle et son fil),
`instances` (une instance par broker), puis les méthodes de la porte par domaine (`market_data`, `orders`,
`balances`), chacune suivie de son jumeau synchrone écrit en entier (`ccxt_manager.sync.*`, mêmes paramètres).
"""

from apps.core.services.ccxt_manager.balances import Balances, SyncBalances
from apps.core.services.ccxt_manager.gate import register_ban_listener
from apps.core.services.ccxt_manager.market_data import OHLCV_PAGE, MarketData, SyncMarketData
from apps.core.services.ccxt_manager.orders import OcoOrder, Orders, ProtectionSupport, SyncOrders
from apps.core.services.ccxt_manager.registry import exchange_ids, exchange_profile, register_exchange

__all__ = [
    "OHLCV_PAGE",
    "CcxtManager",
    "OcoOrder",
    "ProtectionSupport",
    "SyncDoor",
    "ccxt_manager",
    "exchange_ids",
    "exchange_profile",
    "register_ban_listener",
    "register_exchange",
]


class SyncDoor(SyncMarketData, SyncOrders, SyncBalances):
    """Jumeaux synchrones des méthodes de la porte, pour les vues et les commandes : chacun exécute la méthode
    asynchrone sur la boucle de la porte et attend son résultat (ExchangeTimeout au-delà du délai)."""


class CcxtManager(MarketData, Orders, Balances):
    def __init__(self):
        super().__init__()
        self.sync = SyncDoor(self)


ccxt_manager = CcxtManager()
