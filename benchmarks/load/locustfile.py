"""Members under load: Locust users that use the forum the way people do.

Each Locust user is one load member (``manage.py seed_load_members``: load0001, load0002, ...,
password ``demo-pass-123``) pinned to one of the daphne workers in ``LOAD_HOSTS`` (user n goes
to worker n mod the number of workers). A member logs in through the login form, then, with
one to three seconds of thinking between steps: opens a community's forum, opens one of its
recent topics (half the time its last page), replies to it or votes a post helpful, now and
then starts a topic, and now and then loads the API root, the trivial request the figures are
measured against. Pages are the HTML a browser loads; writes go through the JSON API with the
session cookie and the CSRF header, as a script on the page would.

Every member also keeps its notification socket open (``/ws/notifications/``) in a greenlet of
its own: it counts what arrives, reconnects with jitter and backoff when the socket closes or
cannot open (each failed attempt is a Locust failure named ``ws: connect``), and after a
reconnect catches up on what it missed through ``/api/v1/notifications/?after=``, following
``has_more`` (and a ``cursor``, if the server gives one) until the server says nothing is left.

The deployment sits behind a TLS proxy in production: every request says
``X-Forwarded-Proto: https`` and carries a same-origin ``Origin`` header, and the session and
CSRF cookies (marked Secure by production settings) are sent back over plain HTTP.

Environment: ``LOAD_HOSTS`` (comma-separated base URLs), ``LOAD_MEMBERS`` (how many load members
exist), ``LOAD_REPORT`` (a JSON summary is written there when the run stops), ``LOAD_RECORD=1``
(the summary also lists every accepted contribution and every notification id each socket
received, for ``benchmarks/faults.py``).
"""

import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

import gevent
import websocket
from locust import HttpUser, between, events, task
from locust.exception import StopUser

HOSTS = [h.rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",") if h.strip()]
MEMBERS = int(os.environ.get("LOAD_MEMBERS", "50"))
PREFIX = os.environ.get("LOAD_PREFIX", "load")
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-pass-123")
COMMUNITIES = ["ember-roasters", "summit-supply", "glow-lab"]
REPORT = os.environ.get("LOAD_REPORT", "")
RECORD = os.environ.get("LOAD_RECORD") == "1"
# Created once every member has logged in and opened its socket (faults.py waits for it).
READY_FILE = os.environ.get("LOAD_READY_FILE", "")
# After the run stops, sockets keep reading this long so pushes already under way arrive.
DRAIN_SECONDS = float(os.environ.get("LOAD_DRAIN_SECONDS", "4"))

# Statuses a write may answer that are the product's rules, not faults: a level's daily
# allowance (403), the community's pace or a rate limit (429), a locked topic (400).
REFUSALS = {400, 403, 409, 429}
WRITES = ("write: reply", "write: vote", "write: topic")
FLOOR = "floor: api root"

TOPIC_LINK = r'href="/c/{slug}/topics/(\d+)/"'
HELPFUL_FORM = re.compile(r'action="/c/[\w-]+/posts/(\d+)/helpful/">(.*?)<button', re.S)

_numbers = itertools.count(1)


class Tally:
    """What the run saw beyond Locust's own timings: statuses per request, sockets, records."""

    def __init__(self):
        self.statuses: dict[str, Counter] = {}
        self.contributions: list[dict] = []
        self.sockets: list[NotificationSocket] = []
        self.started_at = time.time()
        self.stopped_at: float | None = None

    def status(self, name: str, code: int) -> None:
        self.statuses.setdefault(name, Counter())[str(code)] += 1


TALLY = Tally()


def fire(environment, name: str, started: float, exc: Exception | None = None, length=0):
    environment.events.request.fire(
        request_type="WS",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=length,
        exception=exc,
        context={},
    )


class Member(HttpUser):
    wait_time = between(1, 3)
    # Locust asks for a host; each member picks its worker in __init__.
    host = HOSTS[0] if HOSTS else "http://127.0.0.1:8130"

    def __init__(self, environment):
        number = next(_numbers)
        if HOSTS:
            self.host = HOSTS[(number - 1) % len(HOSTS)]
        super().__init__(environment)
        self.username = f"{PREFIX}{(number - 1) % MEMBERS + 1:04d}"
        self.origin = "https://" + urlsplit(self.host).netloc
        self.topics: dict[str, list[int]] = {}
        self.voted: set[int] = set()
        self.socket: NotificationSocket | None = None

    # --- plumbing ---------------------------------------------------------------------------

    def request(self, method, path, name, *, expect=(200,), refusals=(), **kwargs):
        headers = {"X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        if method != "GET":
            headers |= {"Origin": self.origin, "X-CSRFToken": self.client.cookies.get("csrftoken")}
        with self.client.request(
            method,
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            code = response.status_code or 0
            TALLY.status(name, code)
            if code in expect or code in refusals:
                response.success()
            elif code == 0:
                response.failure(f"connection error: {response.error}")
            else:
                response.failure(f"HTTP {code}")
        # Production marks the cookies Secure; the proxy would carry them over TLS.
        for cookie in self.client.cookies:
            cookie.secure = False
        return response

    def record(self, kind: str, response, **extra) -> None:
        if RECORD and 200 <= (response.status_code or 0) < 300:
            TALLY.contributions.append(
                {"kind": kind, "member": self.username, "id": response.json()["id"], **extra}
            )

    # --- the member's day -------------------------------------------------------------------

    def on_start(self):
        """Log in through the form (again, with backoff, if the worker is away), open the socket."""
        for attempt in range(6):
            self.request("GET", "/accounts/login/", "page: login")
            response = self.request(
                "POST",
                "/accounts/login/",
                "login",
                expect=(302,),
                data={
                    "username": self.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
            )
            if response.status_code == 302:
                break
            gevent.sleep(2**attempt)
        else:
            raise StopUser()  # nothing else works logged out; the failures are counted
        self.socket = NotificationSocket(self)
        TALLY.sockets.append(self.socket)
        self.socket.start()

    def read_forum(self, slug: str) -> list[int]:
        response = self.request("GET", f"/c/{slug}/", "page: forum")
        if response.status_code == 200:
            ids = re.findall(TOPIC_LINK.format(slug=slug), response.text)
            self.topics[slug] = list(dict.fromkeys(int(i) for i in ids))
        return self.topics.get(slug, [])

    def open_topic(self, slug: str, topic_id: int) -> list[int]:
        """The posts this member may vote helpful on the page it opened."""
        params = {"page": "last"} if random.random() < 0.5 else None
        path = f"/c/{slug}/topics/{topic_id}/"
        response = self.request("GET", path, "page: topic", params=params)
        if response.status_code != 200:
            return []
        return [
            int(pk)
            for pk, form in HELPFUL_FORM.findall(response.text)
            if 'value="remove"' not in form and int(pk) not in self.voted
        ]

    @task(6)
    def browse_and_contribute(self):
        slug = random.choice(COMMUNITIES)
        topic_ids = self.read_forum(slug)
        if not topic_ids:
            return
        self.wait()
        topic_id = random.choice(topic_ids[:8])  # the forum lists recent activity first
        votable = self.open_topic(slug, topic_id)
        self.wait()
        if random.random() < 0.45:
            body = f"Tried it this morning ({uuid.uuid4().hex[:8]}): works for me as well."
            response = self.request(
                "POST",
                f"/api/v1/topics/{topic_id}/posts/",
                "write: reply",
                expect=(201,),
                refusals=REFUSALS,
                json={"body": body},
            )
            self.record("reply", response)
        if votable and random.random() < 0.6:
            post_id = random.choice(votable)
            self.voted.add(post_id)
            response = self.request(
                "POST",
                f"/api/v1/posts/{post_id}/helpful/",
                "write: vote",
                refusals=REFUSALS,
            )
            if RECORD and response.status_code == 200:
                TALLY.contributions.append({"kind": "vote", "member": self.username, "id": post_id})

    @task(1)
    def start_topic(self):
        slug = random.choice(COMMUNITIES)
        kind = random.choice(["discussion", "question"])
        tag = uuid.uuid4().hex[:8]
        response = self.request(
            "POST",
            f"/api/v1/communities/{slug}/topics/",
            "write: topic",
            expect=(201,),
            refusals=REFUSALS,
            json={
                "kind": kind,
                "title": f"Load {kind} {tag}",
                "body": f"What does everyone think about batch {tag}? Curious to hear.",
            },
        )
        self.record("topic", response)

    @task(1)
    def floor(self):
        self.request("GET", "/api/v1/", FLOOR)


class NotificationSocket:
    """One member's notification socket, kept open for the whole run in its own greenlet."""

    def __init__(self, member: Member):
        self.member = member
        netloc = urlsplit(member.host).netloc
        self.url = f"ws://{netloc}/ws/notifications/"
        self.baseline: int | None = None  # last notification id when the socket first opened
        self.seen_max = 0
        self.pushed: Counter = Counter()  # notification id -> times pushed
        self.caught_up: set[int] = set()
        self.types: Counter = Counter()
        self.closes: Counter = Counter()
        self.connects = 0
        self.failures = 0
        self.stopping = False
        self.greenlet = None

    def start(self) -> None:
        self.greenlet = gevent.spawn(self.run)

    def _headers(self) -> list[str]:
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.member.client.cookies)
        return [f"Cookie: {cookie}", "X-Forwarded-Proto: https"]

    def run(self) -> None:
        backoff = 0.5
        environment = self.member.environment
        while not self.stopping:
            started = time.perf_counter()
            try:
                ws = websocket.create_connection(
                    self.url, header=self._headers(), origin=self.member.origin, timeout=10
                )
                opcode, data = ws.recv_data(control_frame=True)
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                    raise ConnectionError(f"closed at once with {code}")
                first = json.loads(data)
                if first.get("type") != "notifications.unread":
                    raise ConnectionError(f"first event was {first.get('type')!r}")
            except Exception as exc:  # noqa: BLE001 - every failed attempt is counted
                self.failures += 1
                fire(environment, "ws: connect", started, exc)
                gevent.sleep(backoff + random.uniform(0, backoff))
                backoff = min(backoff * 2, 8)
                continue
            fire(environment, "ws: connect", started)
            self.connects += 1
            backoff = 0.5
            self.types[first["type"]] += 1
            if self.baseline is None:
                self.baseline = self.seen_max = first.get("last_id") or 0
                announce_ready(environment)
            else:
                # From what was seen before this socket opened: pushes arriving meanwhile must
                # not move the starting point past what was missed.
                gevent.spawn(self.catch_up, self.seen_max)
            self.read(ws)
            if not self.stopping:
                gevent.sleep(random.uniform(0.5, 2))  # reconnect with jitter

    def read(self, ws) -> None:
        ws.settimeout(1)
        while not self.stopping:
            try:
                opcode, data = ws.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:  # noqa: BLE001 - dropped connection: reconnect
                self.closes["dropped"] += 1
                return
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                self.closes[str(code)] += 1
                return
            if opcode == websocket.ABNF.OPCODE_TEXT:
                self.receive(json.loads(data), pushed=True)
        ws.close()

    def receive(self, event: dict, *, pushed: bool) -> None:
        self.types[event.get("type", "?")] += 1
        notification_id = event.get("id")
        if not isinstance(notification_id, int) or "title" not in event:
            return  # counts, feed and community news: not stored notifications
        if pushed:
            self.pushed[notification_id] += 1
        else:
            self.caught_up.add(notification_id)
        self.seen_max = max(self.seen_max, notification_id)

    def catch_up(self, after: int) -> None:
        """Fetch what arrived while away, page by page, retrying with backoff until it works."""
        query, backoff = {"after": after}, 0.5
        while not self.stopping:
            response = self.member.request(
                "GET", "/api/v1/notifications/", "api: catch-up", params=query
            )
            if response.status_code != 200:
                gevent.sleep(backoff + random.uniform(0, backoff))
                backoff = min(backoff * 2, 8)
                continue
            body = response.json()
            results = body.get("results", [])
            for item in results:
                self.receive(item, pushed=False)
            if not body.get("has_more") or not results:
                return
            cursor = body.get("cursor") or body.get("next_cursor")
            query = {"cursor": cursor} if cursor else {"after": max(i["id"] for i in results)}

    def summary(self) -> dict:
        return {
            "member": self.member.username,
            "baseline": self.baseline,
            "pushed": dict(self.pushed),
            "caught_up": sorted(self.caught_up),
        }


def announce_ready(environment) -> None:
    connected = sum(1 for s in TALLY.sockets if s.baseline is not None)
    if READY_FILE and connected >= (environment.runner.target_user_count or 0):
        with open(READY_FILE, "w") as out:
            out.write(f"{connected}\n")


@events.test_stop.add_listener
def _drain_and_report(environment, **_kwargs):
    TALLY.stopped_at = time.time()
    gevent.sleep(DRAIN_SECONDS)
    for socket in TALLY.sockets:
        socket.stopping = True
    gevent.joinall([s.greenlet for s in TALLY.sockets if s.greenlet], timeout=5)
    if REPORT:
        with open(REPORT, "w") as out:
            json.dump(summary(environment), out, indent=1)


def summary(environment) -> dict:
    stats = environment.stats
    elapsed = max(1e-9, TALLY.stopped_at - TALLY.started_at)
    requests = {}
    for entry in stats.entries.values():
        requests[entry.name] = {
            "method": entry.method,
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed,
            **{
                f"p{round(q * 100)}": entry.get_response_time_percentile(q)
                for q in (0.5, 0.95, 0.99)
            },
            "statuses": dict(TALLY.statuses.get(entry.name, {})),
        }
    sockets = TALLY.sockets
    pushed = Counter()
    for s in sockets:
        pushed.update(s.pushed)
    result = {
        "started_at": TALLY.started_at,
        "stopped_at": TALLY.stopped_at,
        "seconds": elapsed,
        "total_rps": stats.total.num_requests / elapsed,
        "requests": requests,
        "sockets": {
            "open": len(sockets),
            "connects": sum(s.connects for s in sockets),
            "connect_failures": sum(s.failures for s in sockets),
            "closes": dict(sum((s.closes for s in sockets), Counter())),
            "events": dict(sum((s.types for s in sockets), Counter())),
            "notifications_pushed": sum(pushed.values()),
            "pushed_twice": sum(1 for s in sockets for n in s.pushed.values() if n > 1),
            "caught_up": sum(len(s.caught_up) for s in sockets),
        },
    }
    if RECORD:
        result["contributions"] = TALLY.contributions
        result["members"] = [s.summary() for s in sockets]
    return result
