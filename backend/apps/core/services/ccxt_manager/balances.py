"""Les soldes par la porte, et l'essai des identifiants d'un broker ; et leurs jumeaux synchrones."""

from apps.core.services.ccxt_manager.calls import read, sync_clock
from apps.core.services.ccxt_manager.instances import Instances, SyncInstances
from apps.core.services.ccxt_manager.loop import on_door
from apps.core.services.ccxt_manager.registry import new_instance
from apps.core.services.exchange_data import Balance, balances_from


class Balances(Instances):
    @on_door
    async def balances(self, broker) -> dict[str, Balance]:
        """Soldes de total non nul, par devise."""
        return balances_from(await self._call(broker, "fetch_balance"))

    @on_door
    async def test_connection(self, broker) -> dict[str, Balance]:
        """Soldes lus avec les identifiants de `broker` (enregistré ou non) sur une instance jetable."""
        exchange = new_instance(broker)
        try:
            await sync_clock(exchange, broker)
            await read(exchange, broker, "load_markets")
            return balances_from(await read(exchange, broker, "fetch_balance"))
        finally:
            await exchange.close()


class SyncBalances(SyncInstances):
    """Jumeaux synchrones de `Balances`."""

    _door: Balances

    def balances(self, broker) -> dict[str, Balance]:
        return self._door.run(self._door.balances(broker))

    def test_connection(self, broker) -> dict[str, Balance]:
        return self._door.run(self._door.test_connection(broker))
