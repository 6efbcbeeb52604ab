"""The site's ASGI app plus two trigger routes, for ``benchmarks/ws_fanout.py`` only.

``POST /bench/award/<user_id>/<community_id>/`` commits a points award the way a service does;
``POST /bench/broadcast/<community_id>/`` publishes community news. They run inside the daphne
process, so the benchmark measures the in-memory channel layer too. Never deployed: only the
benchmark starts daphne with this module.
"""

import re

from asgiref.sync import sync_to_async
from django.db import transaction

from config.asgi import application as site
from gamification import recognitions as rec
from realtime import events

AWARD = re.compile(r"^/bench/award/(\d+)/(\d+)/$")
BROADCAST = re.compile(r"^/bench/broadcast/(\d+)/$")


def award(user_id: int, community_id: int) -> None:
    collected = rec.Recognitions()
    collected.add(rec.POINTS_AWARDED, user_id=user_id, community_id=community_id, points=5)
    with transaction.atomic():
        events.publish_on_commit(collected)


def broadcast(community_id: int) -> None:
    events.publish_community_event(
        community_id, {"type": "announcement.published", "title": "Benchmark", "url": "/"}
    )


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["method"] == "POST":
        if match := AWARD.match(scope["path"]):
            await sync_to_async(award)(int(match[1]), int(match[2]))
        elif match := BROADCAST.match(scope["path"]):
            await sync_to_async(broadcast)(int(match[1]))
        else:
            return await site(scope, receive, send)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return None
    return await site(scope, receive, send)
