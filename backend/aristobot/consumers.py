from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.core.channels import HEARTBEAT_GROUP, STATUS_GROUP, STREAM_GROUP, user_group
from apps.heartbeat.status_bar import status_snapshot


class AppConsumer(AsyncJsonWebsocketConsumer):
    """La connexion unique du navigateur : relaie les groupes de l'utilisateur, sans logique métier."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        # Les données de marché (bougies, flux brut) sont partagées : tout utilisateur connecté les reçoit.
        self.groups_joined = [STATUS_GROUP, HEARTBEAT_GROUP, STREAM_GROUP, user_group(user.id)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "status", "data": await database_sync_to_async(status_snapshot)(user.id)})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def client_message(self, event):
        await self.send_json(event["message"])
