"""Le faux Binance : un seul port pour le flux combiné (`/stream?streams=...`, SUBSCRIBE/UNSUBSCRIBE)
et pour le REST (`/api/v3/klines`, `/api/v3/ping`)."""

import asyncio
import bisect
import json
import logging
import time
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from apps.heartbeat.simulator.feeds import RandomWalkFeed, RecordedFeed

logger = logging.getLogger("aristobot.simulator")
# Chaque requête REST passe par la poignée de main WebSocket refusée : inutile de la journaliser.
connections_logger = logging.getLogger("aristobot.simulator.connections")
connections_logger.setLevel(logging.WARNING)

Feed = RandomWalkFeed | RecordedFeed
KLINES_LIMIT = 1000


def _market(stream: str) -> str:
    """ "btcusdt@kline_1m" → "BTCUSDT"."""
    return stream.split("@", 1)[0].upper()


def _json_response(status: int, body: object) -> Response:
    data = json.dumps(body).encode()
    headers = Headers(
        [("Content-Type", "application/json"), ("Content-Length", str(len(data))), ("Connection", "close")]
    )
    return Response(status, "OK" if status == 200 else "Error", headers, data)


class BinanceSimulator:
    """Sert une source (`feed`) aux clients ; `speed` = secondes de marché par seconde réelle (0 = au plus vite).

    Les tests pilotent sans horloge : `step()` joue un pas, `paused` coupe l'envoi (silence) pendant que le
    marché avance, `drop_clients()` coupe les connexions, `send_raw()` envoie n'importe quel texte,
    `rest_down` fait répondre 503 au REST.
    """

    def __init__(
        self,
        feed: Feed,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 1.0,
        ping_interval: float | None = 20,
        ping_timeout: float | None = 20,
    ):
        self.feed = feed
        self.host, self.port = host, port
        self.speed = speed
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        self.clients: dict[ServerConnection, set[str]] = {}
        self.paused = False
        self.rest_down = False
        self.connections = 0  # connexions WebSocket acceptées depuis le démarrage
        self.sent = 0
        self.server: Server | None = None

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> "BinanceSimulator":
        self.server = await serve(
            self._client,
            self.host,
            self.port,
            process_request=self._http,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_timeout,
            logger=connections_logger,
        )
        self.port = self.server.sockets[0].getsockname()[1]
        logger.info("Simulateur Binance : flux %s/stream, REST %s/api/v3/klines", self.ws_url, self.rest_url)
        return self

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    def subscriptions(self) -> set[str]:
        return set().union(*self.clients.values()) if self.clients else set()

    async def step(self) -> bool:
        """Joue un pas de la source ; False quand elle est épuisée."""
        advanced = self.feed.advance()
        if advanced is None:
            return False
        if not self.paused:
            for event in advanced[1]:
                await self.broadcast(f"{event['s'].lower()}@kline_1m", event)
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Joue la source au rythme `speed` jusqu'à `stop` (la source épuisée, le serveur reste ouvert)."""
        start_wall, start_market = time.monotonic(), self.feed.clock
        while not stop.is_set():
            if not await self.step():
                await stop.wait()
                return
            if self.speed > 0:
                delay = start_wall + (self.feed.clock - start_market) / 1000 / self.speed - time.monotonic()
                if delay > 0:
                    try:
                        await asyncio.wait_for(stop.wait(), timeout=delay)
                    except TimeoutError:
                        pass
            else:
                await asyncio.sleep(0)

    async def broadcast(self, stream: str, event: dict) -> None:
        text = None
        for ws, streams in list(self.clients.items()):
            if stream in streams:
                text = text or json.dumps({"stream": stream, "data": event})
                await self._send(ws, text)

    async def send_raw(self, text: str) -> None:
        for ws in list(self.clients):
            await self._send(ws, text)

    async def drop_clients(self) -> None:
        for ws in list(self.clients):
            await ws.close(1001, "arrêt simulé")

    async def _send(self, ws: ServerConnection, text: str) -> None:
        try:
            await ws.send(text)
            self.sent += 1
        except ConnectionClosed:
            pass

    async def _client(self, ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path).query)
        streams = {s for s in "/".join(query.get("streams", [])).split("/") if s}
        for stream in streams:
            self.feed.ensure(_market(stream))
        self.clients[ws] = streams
        self.connections += 1
        try:
            async for text in ws:
                await ws.send(json.dumps(self._method(ws, text)))
        except ConnectionClosed:
            pass
        finally:
            self.clients.pop(ws, None)

    def _method(self, ws: ServerConnection, text: str | bytes) -> dict:
        """SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, comme Binance ; autre chose → erreur."""
        try:
            request = json.loads(text)
            method, params, request_id = request["method"], request.get("params", []), request["id"]
        except (ValueError, KeyError, TypeError):
            return {"error": {"code": 2, "msg": "Invalid request"}, "id": None}
        if method == "SUBSCRIBE":
            for stream in params:
                self.feed.ensure(_market(stream))
            self.clients[ws] |= set(params)
            return {"result": None, "id": request_id}
        if method == "UNSUBSCRIBE":
            self.clients[ws] -= set(params)
            return {"result": None, "id": request_id}
        if method == "LIST_SUBSCRIPTIONS":
            return {"result": sorted(self.clients[ws]), "id": request_id}
        return {"error": {"code": 2, "msg": f"Unknown method {method}"}, "id": request_id}

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if url.path.startswith("/stream"):
            return None  # poignée de main WebSocket
        if url.path == "/api/v3/ping":
            return _json_response(200, {})
        if self.rest_down:
            return _json_response(503, {"code": -1001, "msg": "Service unavailable (simulated)"})
        if url.path == "/api/v3/klines":
            return self._klines({key: values[-1] for key, values in parse_qs(url.query).items()})
        return _json_response(404, {"code": -1, "msg": "Not found"})

    def _klines(self, params: dict) -> Response:
        try:
            market = params["symbol"].upper()
            if params.get("interval") != "1m":
                raise ValueError("interval")
            start = int(params.get("startTime", 0))
            end = int(params.get("endTime", 2**62))
            limit = min(int(params.get("limit", 500)), KLINES_LIMIT)
        except (KeyError, ValueError):
            return _json_response(400, {"code": -1100, "msg": "Illegal characters found in a parameter."})
        self.feed.ensure(market)
        rows = self.feed.closed.get(market, [])
        first = bisect.bisect_left(rows, start, key=lambda row: row[0])
        return _json_response(200, [row for row in rows[first : first + limit] if row[0] <= end])
