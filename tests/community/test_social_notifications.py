"""Reply, mention and accepted-answer notifications, watching, and the newcomers' mention cap."""

import pytest
from notifications.models import Notification

from community.models import TopicWatch
from community.services import social, topics
from core.errors import Invalid
from realtime import event_types
from realtime.models import CommunityMute
from realtime.services import mark_read
from tests.community.helpers import topic
from tests.factories import UserFactory, member_of


def social_notes(user, kind=None):
    rows = Notification.objects.filter(recipient=user, data__type__in=event_types.SOCIAL_TYPES)
    if kind:
        rows = rows.filter(data__type=kind)
    return list(rows.order_by("id"))


@pytest.fixture
def bob(make_member):
    return make_member("bob")


@pytest.fixture
def carol(make_member):
    return make_member("carol")


def test_a_reply_notifies_the_topic_starter_with_community_and_anchor(member, bob, community):
    started = topic(member, community, title="Grind size")
    post = topics.reply(user=bob, topic=started, body="Go finer, it helps.")
    [note] = social_notes(member)
    assert note.verb == event_types.REPLY_RECEIVED
    assert note.unread
    assert note.actor == bob
    assert note.data["title"] == "bob replied in \u201cGrind size\u201d"
    assert note.data["body"] == f"In {community.name}."
    assert "Go finer" not in str(note.data)  # no copy of the post: it may be edited or hidden
    assert note.data["url"] == f"/c/{community.slug}/topics/{started.pk}/#post-{post.pk}"
    assert social_notes(bob) == []  # never for one's own act


def test_an_answer_to_a_question_says_so(member, bob, community):
    question = topic(member, community, kind="question", title="Which beans?")
    topics.reply(user=bob, topic=question, body="Try Ethiopian.")
    [note] = social_notes(member)
    assert note.data["title"] == "bob answered your question \u201cWhich beans?\u201d"


def test_replying_watches_and_later_replies_reach_every_watcher_but_their_author(
    member, bob, carol, community
):
    started = topic(member, community)
    topics.reply(user=bob, topic=started, body="First")
    topics.reply(user=carol, topic=started, body="Second")
    assert [n.data["actor"] for n in social_notes(bob)] == ["carol"]
    assert TopicWatch.objects.filter(topic=started, level="watching").count() == 3
    topics.reply(user=member, topic=started, body="Thanks both")
    assert len(social_notes(member)) == 1  # the starter's own reply notifies nobody of it
    assert [n.data["actor"] for n in social_notes(carol)] == ["alice"]


def test_replies_collapse_into_one_unread_item_until_it_is_read(member, bob, carol, community):
    started = topic(member, community, title="Milk")
    first = topics.reply(user=bob, topic=started, body="One")
    topics.reply(user=carol, topic=started, body="Two")
    topics.reply(user=bob, topic=started, body="Three")
    [note] = social_notes(member)
    assert note.data["count"] == 3
    assert note.data["title"] == "3 new replies in \u201cMilk\u201d"
    assert note.data["body"] == f"In {community.name}, latest from bob."
    assert note.data["url"].endswith(f"#post-{first.pk}")  # the first one not read yet

    mark_read(user=member, notification_id=note.pk)
    topics.reply(user=carol, topic=started, body="Four")
    notes = social_notes(member)
    assert len(notes) == 2
    assert notes[-1].unread and notes[-1].data.get("count", 1) == 1


def test_replies_to_different_topics_do_not_collapse(member, bob, community):
    one = topic(member, community, title="One")
    two = topic(member, community, title="Two")
    topics.reply(user=bob, topic=one, body="a")
    topics.reply(user=bob, topic=two, body="b")
    assert len(social_notes(member)) == 2


def test_a_mention_notifies_a_member_once_and_links_to_their_profile(member, bob, community):
    started = topic(member, community)
    post = topics.reply(user=bob, topic=started, body="@alice and @Alice, see this")
    [note] = social_notes(member)  # mentioned and watching: the mention only
    assert note.verb == event_types.MENTION_RECEIVED
    assert note.data["title"].startswith("bob mentioned you in")
    profile = f"/c/{community.slug}/members/alice/"
    assert f'<a href="{profile}" class="mention" rel="nofollow ugc">@alice</a>' in post.body_html


def test_a_mention_in_a_new_topic_notifies(member, bob, community):
    topic(bob, community, body="What does @alice think?")
    assert [n.verb for n in social_notes(member)] == [event_types.MENTION_RECEIVED]


def test_mentions_of_outsiders_neither_notify_nor_link(member, bob, make_community, community):
    other = make_community(slug="elsewhere")
    outsider = member_of(other, "olga")
    UserFactory(username="nomad")
    post = topic(member, community, body="Hi @olga and @nomad and @nobody").posts.get()
    assert social_notes(outsider) == []
    assert "<a" not in post.body_html
    assert "@olga" in post.body_html


def test_a_mention_of_oneself_notifies_nobody(member, community):
    post = topic(member, community, body="Note to @alice").posts.get()
    assert social_notes(member) == []
    assert 'class="mention"' in post.body_html


def test_an_edit_notifies_only_newly_mentioned_people(member, bob, carol, community):
    started = topic(member, community)
    post = topics.reply(user=bob, topic=started, body="cc @carol")
    topics.edit_post(user=bob, post=post, body="cc @carol and @alice")
    assert len(social_notes(carol)) == 1
    assert [n.verb for n in social_notes(member)] == [
        event_types.REPLY_RECEIVED,  # the reply, to the starter
        event_types.MENTION_RECEIVED,  # the edit's new mention
    ]


def test_nothing_from_a_muted_community(member, bob, community):
    CommunityMute.objects.create(user=member, community=community)
    started = topic(member, community)
    topics.reply(user=bob, topic=started, body="@alice hello")
    assert social_notes(member) == []


def test_nothing_from_a_muted_topic_mentions_included(member, bob, community):
    started = topic(member, community)
    social.set_watch_level(user=member, topic=started, level="muted")
    topics.reply(user=bob, topic=started, body="@alice hello")
    assert social_notes(member) == []


def test_not_watching_is_kept_when_the_member_replies_again(member, bob, community):
    started = topic(bob, community)
    topics.reply(user=member, topic=started, body="one")
    social.set_watch_level(user=member, topic=started, level="normal")
    topics.reply(user=member, topic=started, body="two")
    topics.reply(user=bob, topic=started, body="three")
    assert social_notes(member) == []
    assert social.watch_level(member, started) == "normal"


def test_a_member_who_left_gets_no_more_replies(member, bob, community):
    started = topic(member, community)
    member.memberships.all().delete()
    topics.reply(user=bob, topic=started, body="anyone?")
    assert social_notes(member) == []


def test_watch_levels_are_checked(member, bob, community):
    started = topic(bob, community)
    with pytest.raises(Invalid):
        social.set_watch_level(user=member, topic=started, level="loud")


def test_an_accepted_answer_notifies_its_author_not_the_acceptor(member, bob, community):
    question = topic(member, community, kind="question", title="Best grinder?")
    answer = topics.reply(user=bob, topic=question, body="A burr grinder.")
    topics.accept_answer(user=member, post=answer)
    [note] = social_notes(bob, event_types.ANSWER_ACCEPTED)
    assert note.data["title"] == "Your answer in \u201cBest grinder?\u201d was accepted"
    assert note.data["body"] == f"In {community.name}, accepted by alice."
    assert note.data["url"].endswith(f"#post-{answer.pk}")
    assert social_notes(member, event_types.ANSWER_ACCEPTED) == []


def test_accepting_ones_own_answer_notifies_nobody(member, moderator, community):
    question = topic(member, community, kind="question")
    answer = topics.reply(user=moderator, topic=question, body="Mine")
    topics.accept_answer(user=moderator, post=answer)
    assert social_notes(moderator, event_types.ANSWER_ACCEPTED) == []


def test_newcomers_mention_a_few_people_a_post(member, community, make_member):
    names = [make_member(f"friend{i}").username for i in range(social.NEWCOMER_MENTIONS + 1)]
    started = topic(member, community)
    too_many = " ".join(f"@{name}" for name in names)
    with pytest.raises(Invalid) as refused:
        topics.reply(user=member, topic=started, body=too_many)
    assert "at most 3 people while you are new here" in str(refused.value)
    topics.reply(user=member, topic=started, body=" ".join(f"@{n}" for n in names[:-1]))


def test_staff_may_mention_more_people(moderator, community, make_member):
    names = [make_member(f"friend{i}").username for i in range(social.NEWCOMER_MENTIONS + 1)]
    started = topic(moderator, community)
    topics.reply(user=moderator, topic=started, body=" ".join(f"@{n}" for n in names))
    assert Notification.objects.filter(verb=event_types.MENTION_RECEIVED).count() == len(names)
