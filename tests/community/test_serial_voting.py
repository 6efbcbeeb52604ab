"""manage.py detect_serial_voting: find bursts of votes, reverse their points once, tell mods."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from notifications.models import Notification

from community.models import HelpfulVote, ModerationAction
from community.services import moderation, topics, votes
from gamification.corrections import SERIAL_VOTES_REASON
from gamification.models import LedgerEntry, Score
from realtime import event_types
from tests.community.helpers import join, topic


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


def _posts(author, community, count):
    first = topic(author, community, title="Bob's brews", body="Opening")
    posts = [first.posts.get()]
    for n in range(count - 1):
        posts.append(topics.reply(user=author, topic=first, body=f"Reply {n}"))
    return posts


def _vote_all(voter, posts, *, spacing=timedelta(minutes=1)):
    start = timezone.now() - timedelta(hours=3)
    for n, post in enumerate(posts):
        vote = votes.vote_helpful(user=voter, post=post)
        HelpfulVote.objects.filter(pk=vote.pk).update(created_at=start + n * spacing)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("detect_serial_voting", *args, stdout=out)
    return out.getvalue()


def _serial_reversals():
    return LedgerEntry.objects.filter(reason=SERIAL_VOTES_REASON)


def test_dry_run_reports_and_changes_nothing(member, bob, moderator, community):
    _vote_all(member, _posts(bob, community, 6))
    output = _run("--dry-run")
    assert "roasters: alice -> bob: 6 serial votes (dry run: nothing reversed)" in output
    assert not _serial_reversals().exists()
    assert not ModerationAction.objects.exists()
    assert not Notification.objects.filter(recipient=moderator).exists()


def test_reverses_once_logs_and_notifies_moderators(member, bob, moderator, community, client_for):
    _vote_all(member, _posts(bob, community, 6))
    before = Score.objects.get(member=bob, community=community).lifetime
    output = _run()
    assert "alice -> bob: 6 serial votes, 18 points reversed" in output
    assert _serial_reversals().count() == 6
    assert Score.objects.get(member=bob, community=community).lifetime == before - 18
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.moderator, entry.member) == ("reverse_votes", None, bob)
    assert "6 helpful votes from alice to bob" in entry.reason
    alert = Notification.objects.get(recipient=moderator)
    assert alert.data["type"] == event_types.MODERATION_ALERT
    assert alert.data["url"] == "/c/roasters/moderation/"
    assert not Notification.objects.filter(recipient=member, verb__contains="moderation")
    page = client_for(moderator).get("/c/roasters/moderation/").content.decode()
    assert "Automatic check" in page
    assert 'reversed serial votes for <a href="/c/roasters/members/bob/">bob</a>' in page

    second = _run()
    assert "already reversed" in second
    assert _serial_reversals().count() == 6
    assert ModerationAction.objects.count() == 1
    assert Notification.objects.filter(recipient=moderator).count() == 1
    # The voter still sees their votes.
    assert HelpfulVote.objects.filter(voter=member).count() == 6


def test_threshold_boundary(member, bob, community):
    """4 votes in a burst pass, the 5th (the default threshold) makes it serial."""
    posts = _posts(bob, community, 5)
    _vote_all(member, posts[:4])
    assert "0 pair(s)" in _run()
    votes.vote_helpful(user=member, post=posts[4])
    HelpfulVote.objects.filter(post=posts[4]).update(
        created_at=timezone.now() - timedelta(hours=3) + timedelta(minutes=30)
    )
    assert "5 serial votes" in _run()


def test_spread_out_votes_are_not_serial(member, bob, community):
    _vote_all(member, _posts(bob, community, 6), spacing=timedelta(minutes=20))
    assert "0 pair(s)" in _run("--minutes", "60")
    assert "6 serial votes" in _run("--minutes", "100")


def test_options_scope_to_one_community(member, bob, community, make_community):
    other = make_community("gear")
    _vote_all(member, _posts(bob, community, 5))
    assert "0 pair(s)" in _run("--community", "gear")
    assert other.moderation_actions.count() == 0
    with pytest.raises(CommandError):
        _run("--community", "nope")
    with pytest.raises(CommandError):
        _run("--votes", "1")


def test_restoring_hidden_content_does_not_give_serial_votes_back(
    member, bob, moderator, community
):
    posts = _posts(bob, community, 5)
    _vote_all(member, posts)
    _run()
    target = posts[1]
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=target.pk, reason="x"
    )
    moderation.restore(
        user=moderator, community=community, target_type="post", target_id=target.pk, reason="y"
    )
    vote = HelpfulVote.objects.get(post=target)
    rows = LedgerEntry.objects.filter(
        source_type=ContentType.objects.get_for_model(HelpfulVote), source_id=vote.pk
    )
    assert sum(rows.values_list("points", flat=True)) == 0
