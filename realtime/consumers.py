"""Websocket consumers: check who may listen, join groups, forward events, answer commands.

No ORM here: reads go through ``realtime.selectors`` / ``community.selectors`` and writes through
``realtime.services``, each in ``database_sync_to_async``.
"""

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from realtime import (
    coalescing,
    event_types,
    events,
    groups,
    layers,
    lifecycle,
    protocol,
    selectors,
    services,
)

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
# The channel layer (Redis) is unreachable: "try again later", the client reconnects.
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_NOT_VISIBLE = 4404


class _EventConsumer(AsyncWebsocketConsumer):
    """Shared plumbing: group membership on two layers, JSON out, bad frames answered with an
    error event, a place in this worker's registry of live sockets (``realtime.lifecycle``).

    Personal groups live on the ``default`` layer, community broadcasts on the ``broadcasts``
    layer (``realtime.layers`` says why); the socket has a channel on each and a task per
    channel that forwards what arrives. Channels' own single-layer receive is off
    (``channel_layer_alias = None``): an unreachable layer then closes the socket with 1013
    instead of killing the application in the middle of the handshake.
    """

    channel_layer_alias = None
    joined: list[str]
    loop: asyncio.AbstractEventLoop
    _channels: dict[str, tuple]
    _forwarders: list[asyncio.Task]
    _closed = False
    _dispatching: asyncio.Lock | None = None

    async def refuse(self, code: int) -> None:
        """Accept, then close with ``code``: a browser sees the code (a refused handshake
        would only show 1006) and knows not to retry."""
        await self.accept()
        await self._close_once(code)

    async def join(self, *names: str) -> bool:
        """Join before accepting: once the client sees the socket open, nothing is missed.

        When the channel layer cannot be reached, the socket is refused with 1013 (try again
        later) instead of failing the handshake with an HTTP 500; returns whether it joined.
        """
        self.joined = []
        self._forwarders = []
        try:
            await self._open_channels()
            for name in names:
                await self._add(name)
                self.joined.append(name)
        except Exception:
            logger.warning(
                "channel layer unreachable: refusing a websocket with 1013", exc_info=True
            )
            await self._leave_quietly()
            await self.refuse(CLOSE_TRY_AGAIN_LATER)
            return False
        coalescing.remember_serving_loop()
        return True

    async def go_live(self) -> None:
        """Listen on the joined channels, accept, and list the socket among the worker's live
        ones. What was sent between joining and listening waits in the layer."""
        loop = asyncio.get_running_loop()
        self._forwarders = [
            loop.create_task(self._forward(layer, channel))
            for layer, channel in dict.fromkeys(self._channels.values())
        ]
        await self.accept()
        self.loop = loop
        lifecycle.register(self)

    async def rejoin(self) -> None:
        """Renew the memberships (they expire after ``CHANNEL_GROUP_EXPIRY`` otherwise)."""
        for name in list(self.joined):
            await self._add(name)

    async def shut(self, code: int) -> None:
        """Leave the groups, then close the socket with ``code`` (a worker shutting down)."""
        lifecycle.unregister(self)
        await self._leave_quietly()
        await self._close_once(code)

    async def disconnect(self, code):
        lifecycle.unregister(self)
        await self._leave_quietly()
        for task in getattr(self, "_forwarders", []):
            if task is not asyncio.current_task():
                task.cancel()

    async def _open_channels(self) -> None:
        """A channel on each layer (one if both aliases name the same layer)."""
        self._channels = {}
        opened: dict[int, tuple] = {}
        for alias in (layers.PERSONAL, layers.BROADCASTS):
            layer = layers.layer(alias)
            if id(layer) not in opened:
                opened[id(layer)] = (layer, await layer.new_channel())
            self._channels[alias] = opened[id(layer)]

    async def _forward(self, layer, channel: str) -> None:
        """Dispatch what arrives on one channel; if its layer fails, close with 1013 (the
        client reconnects, to another worker if need be, and catches up)."""
        try:
            while True:
                await self.dispatch(await layer.receive(channel))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("channel layer unreachable: closing a websocket with 1013")
            lifecycle.unregister(self)
            await self._close_once(CLOSE_TRY_AGAIN_LATER)

    async def _close_once(self, code: int) -> None:
        if not self._closed:
            self._closed = True
            await self.close(code=code)

    async def _add(self, name: str) -> None:
        layer, channel = self._channels[layers.alias_for(name)]
        await layer.group_add(name, channel)

    async def _discard(self, name: str) -> None:
        layer, channel = self._channels[layers.alias_for(name)]
        await layer.group_discard(name, channel)

    async def _leave_quietly(self) -> None:
        for name in getattr(self, "joined", []):
            try:
                await self._discard(name)
            except Exception:
                logger.warning("could not leave %s (channel layer unreachable)", name)
        self.joined = []

    async def send_event(self, payload: dict) -> None:
        await self.send(text_data=json.dumps(payload))

    async def dispatch(self, message):
        """Forward pushed events straight to the socket.

        Channels closes stale database connections (a hop to a worker thread) before every
        handler. A pushed event touches no database, and that hop was most of the cost of a
        broadcast to many sockets, so events skip it; everything else dispatches as usual.

        One message at a time, in arrival order, whichever channel it came from (the client's
        frames or either layer): a command's answer goes out before what it caused.
        """
        if self._dispatching is None:
            self._dispatching = asyncio.Lock()
        async with self._dispatching:
            if message["type"] == events.HANDLER:
                await self.send(text_data=message["text"])
                return
            await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = protocol.parse(text_data, bytes_data)
            await self.handle(message)
        except protocol.ClientMessageError as exc:
            await self.send_event(protocol.error(str(exc)))

    async def handle(self, message: dict) -> None:
        if message["type"] == protocol.PING:
            await self.send_event(protocol.pong())
            return
        raise protocol.ClientMessageError(protocol.UNKNOWN_TYPE)


class NotificationConsumer(_EventConsumer):
    """One socket per logged-in member tab: their recognitions, bell count and community news."""

    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        community_ids = await database_sync_to_async(selectors.news_community_ids)(self.user)
        if not await self.join(
            groups.user_group(self.user.pk), *(groups.members_group(pk) for pk in community_ids)
        ):
            return
        await self.go_live()
        count, last_id = await database_sync_to_async(_bell)(self.user)
        await self.send_event(
            {
                "type": event_types.UNREAD_COUNT,
                "v": event_types.VERSION,
                "count": count,
                "last_id": last_id,
            }
        )

    async def handle(self, message: dict) -> None:
        if message["type"] == protocol.MARK_READ:
            notification_id = protocol.notification_id(message)
            try:
                await database_sync_to_async(services.mark_read)(
                    user=self.user, notification_id=notification_id
                )
            except services.NotificationError as exc:
                raise protocol.ClientMessageError(str(exc)) from exc
            await self.send_event(self._marked([notification_id]))
        elif message["type"] == protocol.MARK_ALL_READ:
            await database_sync_to_async(services.mark_all_read)(user=self.user)
            await self.send_event(self._marked("all"))
        else:
            await super().handle(message)

    async def membership_ended(self, message: dict) -> None:
        """Stop the community's news on this socket once the member has left it."""
        group = groups.members_group(message["community_id"])
        if group in self.joined:
            self.joined.remove(group)
            await self._discard(group)

    @staticmethod
    def _marked(ids) -> dict:
        return {"type": protocol.MARKED_READ, "v": event_types.VERSION, "ids": ids}


class CommunityConsumer(_EventConsumer):
    """Anyone who may view the community: leaderboard changes, public feed, community news."""

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["slug"]
        community_id = await database_sync_to_async(selectors.visible_community_id)(
            self.scope.get("user"), slug
        )
        if community_id is None:
            await self.refuse(CLOSE_NOT_VISIBLE)
            return
        names = [groups.community_group(community_id)]
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            names.append(groups.viewer_group(community_id, user.pk))
        if not await self.join(*names):
            return
        await self.go_live()

    async def membership_ended(self, message: dict) -> None:
        """Sent only for a private community: the member may no longer watch it."""
        await self._close_once(CLOSE_NOT_VISIBLE)


def _bell(user) -> tuple[int, int]:
    """The unread count and newest id, sent on (re)connect so the client can catch up."""
    return selectors.unread_count(user), selectors.latest_notification_id(user)
