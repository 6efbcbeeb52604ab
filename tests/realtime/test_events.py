import datetime as dt
import logging
import time

import pytest
import time_machine
from django.db import transaction
from notifications.models import Notification

from gamification import awards, preferences
from gamification import recognitions as rec
from gamification.actions import REVIEW_WRITTEN
from gamification.models import LedgerEntry
from realtime import coalescing, events, groups
from realtime.models import CommunityMute, ToastPreference
from tests.factories import MembershipFactory


def test_recognition_is_stored_at_once_and_pushed_only_after_commit(
    member, community, spy_layer, recognitions, django_capture_on_commit_callbacks
):
    collected = recognitions((rec.BADGE_EARNED, member, community, {"badge": "Helper"}))
    with django_capture_on_commit_callbacks() as callbacks:
        events.publish_on_commit(collected)
        stored = Notification.objects.get(recipient=member)
        assert spy_layer.sent == []
    assert stored.verb == "earned the Helper badge"
    assert stored.actor == community
    assert stored.target == community
    assert stored.data["type"] == rec.BADGE_EARNED

    for callback in callbacks:
        callback()
    [pushed] = spy_layer.to(groups.user_group(member.pk))[:1]
    assert pushed["id"] == stored.pk
    assert pushed["title"] == "You earned the Helper badge"
    assert pushed["toast"] is True
    assert spy_layer.to(groups.user_group(member.pk))[-1] == {
        "type": "notifications.unread",
        "v": 1,
        "count": 1,
    }


def test_kudos_actor_is_the_moderator(member, moderator, community, spy_layer, recognitions):
    collected = recognitions(
        (rec.KUDOS_RECEIVED, member, community, {"actor_id": moderator.pk, "message": "Thanks!"})
    )
    events.publish_on_commit(collected)
    stored = Notification.objects.get(recipient=member)
    assert stored.actor == moderator
    assert stored.description == "Thanks!"


def test_an_event_that_cannot_travel_as_json_fails_in_the_service(member, community):
    collected = rec.Recognitions()
    collected.add(rec.POINTS_AWARDED, user_id=member.pk, community_id=community.pk, when=object())
    with pytest.raises(TypeError):
        events.publish_on_commit(collected)
    assert not Notification.objects.exists()


def test_only_site_paths_survive_as_links(member, community, spy_layer, recognitions):
    collected = recognitions(
        (rec.BADGE_EARNED, member, community, {"badge": "A", "url": "javascript:alert(1)"}),
        (rec.BADGE_EARNED, member, community, {"badge": "B", "url": "//evil.example/x"}),
        (rec.BADGE_EARNED, member, community, {"badge": "C", "url": "/c/roasters/"}),
    )
    events.publish_on_commit(collected)
    urls = [n.data.get("url") for n in Notification.objects.order_by("id")]
    assert urls == [None, None, "/c/roasters/"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_channel_layer_never_undoes_or_loses_the_award(
    member, community, monkeypatch, caplog
):
    class BrokenLayer:
        def __init__(self, alias=None):
            pass

        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(events, "get_channel_layer", BrokenLayer)
    with caplog.at_level(logging.ERROR, logger="realtime.events"), transaction.atomic():
        awarded = awards.record_action(member, community, REVIEW_WRITTEN, community)
    assert LedgerEntry.objects.filter(member=member, action=REVIEW_WRITTEN).count() == 1
    assert Notification.objects.filter(recipient=member, unread=True).count() == len(awarded.events)
    assert "could not push points.awarded" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_failing_notification_store_is_logged_and_the_award_still_pushed(
    member, community, monkeypatch, caplog, spy_layer
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Notification.objects, "bulk_create", broken)
    with caplog.at_level(logging.ERROR, logger="realtime.events"), transaction.atomic():
        awarded = awards.record_action(member, community, REVIEW_WRITTEN, community)
    assert LedgerEntry.objects.filter(member=member, action=REVIEW_WRITTEN).count() == 1
    assert f"could not store {len(awarded.events)} notifications" in caplog.text
    [pushed] = [
        p
        for p in spy_layer.to(groups.user_group(member.pk))
        if p["type"] == "points.awarded" and p["action"] == REVIEW_WRITTEN
    ]
    assert pushed["points"] == 10 and "id" not in pushed


def test_nothing_is_pushed_when_the_transaction_rolls_back(member, community, spy_layer):
    with pytest.raises(RuntimeError), transaction.atomic():
        awards.record_action(member, community, REVIEW_WRITTEN, community)
        raise RuntimeError("the caller failed after the award")
    assert spy_layer.sent == []
    assert not Notification.objects.exists()


def test_toast_preferences_and_mutes_decide_the_toast_not_the_inbox(
    member, community, make_community, spy_layer, recognitions
):
    other = make_community("trail")
    MembershipFactory(user=member, community=other)
    ToastPreference.objects.create(user=member, points=False)
    CommunityMute.objects.create(user=member, community=other)
    collected = recognitions(
        (rec.POINTS_AWARDED, member, community, {"points": 5}),
        (rec.BADGE_EARNED, member, community, {"badge": "Helper"}),
        (rec.BADGE_EARNED, member, other, {"badge": "Hiker"}),
    )
    events.publish(collected.events)
    pushed = [p for p in spy_layer.to(groups.user_group(member.pk)) if "toast" in p]
    assert [(p["type"], p["toast"]) for p in pushed] == [
        (rec.POINTS_AWARDED, False),
        (rec.BADGE_EARNED, True),
        (rec.BADGE_EARNED, False),
    ]


def test_public_feed_carries_badges_kudos_and_levels_but_never_opted_out_members(
    member, make_member, community, spy_layer, recognitions, django_capture_on_commit_callbacks
):
    shy = make_member("shy")
    # shy chose to stay off public boards and the feed (the engine keeps that choice).
    preferences.set_leaderboard_visibility(member=shy, community=community, public=False)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_on_commit(
            recognitions(
                (rec.BADGE_EARNED, member, community, {"badge": "Helper"}),
                (rec.LEVEL_UP, member, community, {"level": 3, "level_name": "Regular"}),
                (rec.POINTS_AWARDED, member, community, {"points": 5}),
                (rec.KUDOS_RECEIVED, member, community, {"opted_out": True}),
                (rec.BADGE_EARNED, shy, community, {"badge": "Helper"}),
            )
        )
    feed = [
        p
        for p in spy_layer.to(groups.community_group(community.pk))
        if p["type"] == "feed.recognition"
    ]
    assert [p["text"] for p in feed] == [
        "alice earned the Helper badge",
        "alice reached level 3: Regular",
    ]
    assert all("user_id" not in p for p in feed)


def test_community_news_reaches_page_sockets_and_members_after_commit(
    community, spy_layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        events.publish_community_event(
            community.pk,
            {"type": "challenge.published", "title": "<b>Brew week</b>", "url": "/c/x/"},
        )
        assert spy_layer.sent == []
    for callback in callbacks:
        callback()
    expected = {
        "type": "challenge.published",
        "v": 1,
        "community_id": community.pk,
        "title": "<b>Brew week</b>",
        "url": "/c/x/",
    }
    # Each broadcast group counts its own sequence.
    assert spy_layer.to(groups.community_group(community.pk)) == [{**expected, "seq": 1}]
    assert spy_layer.to(groups.members_group(community.pk)) == [{**expected, "seq": 1}]


def test_news_stored_for_members_tells_their_own_sockets_to_bump_the_bell(
    community, spy_layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_community_event(
            community.pk,
            {"type": "challenge.published", "title": "Brew week", "url": "/c/x/"},
            stored_for_members=True,
            except_user_id=7,
        )
    [public] = spy_layer.to(groups.community_group(community.pk))
    [members] = spy_layer.to(groups.members_group(community.pk))
    assert "bell" not in public
    assert (members["bell"], members["except_user_id"]) == (1, 7)


def test_leaderboard_changes_are_coalesced_with_one_trailing_push(
    community, spy_layer, monkeypatch, django_capture_on_commit_callbacks
):
    scheduled = []
    monkeypatch.setattr(coalescing, "schedule", lambda delay, send: scheduled.append(send))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(50):
            events.leaderboard_changed(community.pk)
    group = groups.community_group(community.pk)
    assert spy_layer.types(group) == ["leaderboard.changed"]
    assert len(scheduled) == 1

    coalescing.cache.delete(f"realtime:leaderboard:{community.pk}:gate")  # the window closes
    scheduled[0]()
    assert spy_layer.types(group) == ["leaderboard.changed", "leaderboard.changed"]


def test_points_mark_the_leaderboard_changed(
    member, community, spy_layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        awards.record_action(member, community, REVIEW_WRITTEN, community)
    assert "leaderboard.changed" in spy_layer.types(groups.community_group(community.pk))


class ManualTimers:
    """Stands in for ``coalescing.schedule`` (a timer thread): runs a send once the clock is due."""

    def __init__(self):
        self.waiting: list[tuple[float, object]] = []

    def schedule(self, delay, send):
        self.waiting.append((time.time() + delay, send))

    def run_due(self):
        now = time.time()
        due = [send for at, send in self.waiting if at <= now]
        self.waiting = [(at, send) for at, send in self.waiting if at > now]
        for send in due:
            send()


def test_coalescing_over_time_sends_at_most_one_per_window(
    community, spy_layer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    # The gate's window is a cache timeout: keep it in a local-memory cache, whose clock is the
    # frozen one below (a Redis TTL would run on the wall clock).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    timers = ManualTimers()
    monkeypatch.setattr(coalescing, "schedule", timers.schedule)
    group = groups.community_group(community.pk)
    window = events.LEADERBOARD_WINDOW_SECONDS

    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(50):  # half a second of changes, one every 10 ms
            with django_capture_on_commit_callbacks(execute=True):
                events.leaderboard_changed(community.pk)
            clock.shift(0.01)
            timers.run_due()
        assert spy_layer.types(group) == ["leaderboard.changed"]
        assert len(timers.waiting) == 1

        clock.shift(window - 0.6)  # still inside the window the first change opened
        timers.run_due()
        assert spy_layer.types(group) == ["leaderboard.changed"]

        clock.shift(0.6)  # the window closes: the one trailing push carries the later changes
        timers.run_due()
        assert spy_layer.types(group) == ["leaderboard.changed", "leaderboard.changed"]

        clock.shift(window + 0.6)  # nothing changed since: no further push
        timers.run_due()
    assert timers.waiting == []
    assert spy_layer.types(group) == ["leaderboard.changed", "leaderboard.changed"]


@pytest.mark.django_db(transaction=True)
def test_even_an_unexpected_publish_error_never_reaches_the_caller(
    member, community, monkeypatch, caplog
):
    def explode(events_):
        raise RuntimeError("a bug in publishing")

    monkeypatch.setattr(events, "publish", explode)
    with caplog.at_level(logging.ERROR), transaction.atomic():
        awarded = awards.record_action(member, community, REVIEW_WRITTEN, community)
    assert LedgerEntry.objects.filter(member=member, action=REVIEW_WRITTEN).count() == 1
    assert Notification.objects.filter(recipient=member).count() == len(awarded.events)
    assert "a bug in publishing" in caplog.text
