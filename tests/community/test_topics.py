from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Acceptance, HelpfulVote, Post, PostRevision, Topic
from community.services import messages, moderation, topics, votes
from core import errors
from gamification import actions
from gamification.models import LedgerEntry
from tenancy.models import Membership
from tests.community.helpers import join, points, topic


def awarded(user, action) -> int:
    return LedgerEntry.objects.filter(member=user, action=action).count()


# --- Topics and replies ---------------------------------------------------------------------


def test_member_starts_a_discussion_and_a_question(member, community):
    discussion = topic(member, community, body="**Hello** <script>x</script>")
    question = topic(member, community, kind="question", title="Which grind?")
    opening = discussion.posts.get()
    assert opening.is_opening and "<strong>Hello</strong>" in opening.body_html
    assert "<script" not in opening.body_html
    assert awarded(member, actions.TOPIC_CREATED) == 1
    assert awarded(member, actions.QUESTION_ASKED) == 1
    assert question.is_question


def test_non_member_cannot_post(make_user, community):
    outsider = make_user("outsider")
    with pytest.raises(errors.NotAllowed, match=messages.NOT_A_MEMBER):
        topic(outsider, community)
    assert Topic.objects.count() == 0


def test_member_of_another_community_cannot_post_here(make_user, make_community, community):
    elsewhere = make_user("elsewhere")
    join(elsewhere, make_community("other"))
    with pytest.raises(errors.NotAllowed):
        topic(elsewhere, community)


def test_replies_award_by_kind_and_bump_activity(member, make_user, community):
    bob = make_user("bob")
    join(bob, community)
    question = topic(member, community, kind="question")
    discussion = topic(member, community, title="Chat")
    before = Topic.objects.get(pk=question.pk).last_activity_at
    topics.reply(user=bob, topic=question, body="An answer")
    topics.reply(user=bob, topic=discussion, body="A reply")
    assert awarded(bob, actions.ANSWER_POSTED) == 1
    assert awarded(bob, actions.REPLY_POSTED) == 1
    assert Topic.objects.get(pk=question.pk).last_activity_at > before


def test_locked_topic_takes_no_replies(member, moderator, community):
    thread = topic(member, community)
    moderation.set_topic_locked(user=moderator, topic=thread, locked=True, reason="Heated")
    with pytest.raises(errors.AppError, match=topics.TOPIC_LOCKED):
        topics.reply(user=member, topic=thread, body="Still talking")


def test_members_cannot_lock_topics(member, community):
    thread = topic(member, community)
    with pytest.raises(errors.NotAllowed, match=messages.MODERATORS_ONLY):
        moderation.set_topic_locked(user=member, topic=thread, locked=True, reason="mine")


# --- Editing --------------------------------------------------------------------------------


def test_author_edits_within_the_window_and_history_is_kept(member, community):
    thread = topic(member, community, title="Old title", body="first")
    opening = thread.posts.get()
    topics.edit_post(user=member, post=opening, body="second *take*", title="New title")
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert opening.body == "second *take*" and "<em>take</em>" in opening.body_html
    assert opening.edited_at is not None
    assert thread.title == "New title"
    revision = PostRevision.objects.get(post=opening)
    assert (revision.title, revision.body) == ("Old title", "first")


def test_edit_after_the_window_is_refused(member, community):
    opening = topic(member, community).posts.get()
    Post.objects.filter(pk=opening.pk).update(created_at=timezone.now() - timedelta(hours=1))
    opening.refresh_from_db()
    with pytest.raises(errors.AppError, match=topics.EDIT_WINDOW_PASSED):
        topics.edit_post(user=member, post=opening, body="late")


def test_nobody_edits_someone_elses_post(member, moderator, community):
    opening = topic(member, community).posts.get()
    with pytest.raises(errors.NotAllowed, match=topics.NOT_YOUR_POST):
        topics.edit_post(user=moderator, post=opening, body="mine now")
    assert PostRevision.objects.count() == 0


def test_edit_page_shows_history_link_and_history(client_for, member, community):
    opening = topic(member, community, body="before").posts.get()
    client = client_for(member)
    url = reverse("community:post_edit", args=[community.slug, opening.pk])
    response = client.post(url, {"title": "Brewing tips", "body": "after"})
    assert response.status_code == 302
    history = client.get(reverse("community:post_history", args=[community.slug, opening.pk]))
    assert "before" in history.content.decode()


def test_edit_page_for_someone_elses_post_redirects_with_message(
    client_for, member, make_user, community
):
    opening = topic(member, community, body="before").posts.get()
    bob = make_user("bob")
    join(bob, community)
    url = reverse("community:post_edit", args=[community.slug, opening.pk])
    response = client_for(bob).post(url, {"title": "x", "body": "hijack"}, follow=True)
    assert topics.NOT_YOUR_POST in response.content.decode()
    opening.refresh_from_db()
    assert opening.body == "before"


# --- Helpful votes --------------------------------------------------------------------------


@pytest.fixture
def answered(member, make_user, community):
    """A question by alice with one answer by bob."""
    bob = make_user("bob")
    join(bob, community)
    question = topic(member, community, kind="question")
    answer = topics.reply(user=bob, topic=question, body="Grind finer")
    return question, answer, bob


def test_helpful_vote_awards_the_author_once_and_unvote_reverses(member, community, answered):
    _question, answer, bob = answered
    before = points(bob, community)
    votes.vote_helpful(user=member, post=answer)
    votes.vote_helpful(user=member, post=answer)  # double submit
    assert HelpfulVote.objects.count() == 1
    entry = LedgerEntry.objects.get(action=actions.HELPFUL_VOTE_RECEIVED)
    assert entry.member == bob and entry.actor == member
    assert points(bob, community) == before + entry.points
    votes.unvote_helpful(user=member, post=answer)
    votes.unvote_helpful(user=member, post=answer)
    assert HelpfulVote.objects.count() == 0
    assert points(bob, community) == before


def test_no_helpful_vote_on_ones_own_post(community, answered):
    _question, answer, bob = answered
    with pytest.raises(errors.AppError, match=votes.OWN_POST_VOTE):
        votes.vote_helpful(user=bob, post=answer)


def test_non_member_cannot_vote(make_user, community, answered):
    _question, answer, _bob = answered
    with pytest.raises(errors.NotAllowed):
        votes.vote_helpful(user=make_user("lurker"), post=answer)


def test_helpful_toggle_on_the_page(client_for, member, community, answered):
    question, answer, _bob = answered
    client = client_for(member)
    url = reverse("community:helpful", args=[community.slug, answer.pk])
    client.post(url)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    client.post(url, {"vote": "remove"})
    assert HelpfulVote.objects.count() == 0


# --- Accepted answers -----------------------------------------------------------------------


def test_asker_accepts_an_answer_and_can_change_it(member, make_user, community, answered):
    question, answer, bob = answered
    carol = make_user("carol")
    join(carol, community)
    second = topics.reply(user=carol, topic=question, body="Water temperature")
    before_acceptance = points(bob, community)
    topics.accept_answer(user=member, post=answer)
    topics.accept_answer(user=member, post=answer)  # double submit
    assert awarded(bob, actions.ANSWER_ACCEPTED) == 1
    topics.accept_answer(user=member, post=second)
    assert Acceptance.objects.get().post == second
    assert points(bob, community) == before_acceptance  # the acceptance award was reversed
    assert awarded(carol, actions.ANSWER_ACCEPTED) == 1


def test_moderator_may_accept_but_other_members_may_not(
    member, moderator, make_user, community, answered
):
    _question, answer, _bob = answered
    dave = make_user("dave")
    join(dave, community)
    with pytest.raises(errors.NotAllowed, match=topics.CANNOT_ACCEPT):
        topics.accept_answer(user=dave, post=answer)
    assert topics.accept_answer(user=moderator, post=answer).accepted_by == moderator


def test_only_replies_to_questions_can_be_accepted(member, make_user, community):
    bob = make_user("bob")
    join(bob, community)
    discussion = topic(member, community)
    reply = topics.reply(user=bob, topic=discussion, body="hi")
    with pytest.raises(errors.AppError, match=topics.NOT_AN_ANSWER):
        topics.accept_answer(user=member, post=reply)
    question = topic(member, community, kind="question", title="Q")
    with pytest.raises(errors.AppError, match=topics.NOT_AN_ANSWER):
        topics.accept_answer(user=member, post=question.posts.get())


def test_accepting_ones_own_answer_earns_nothing(member, community):
    question = topic(member, community, kind="question")
    own = topics.reply(user=member, topic=question, body="Found it myself")
    topics.accept_answer(user=member, post=own)
    assert awarded(member, actions.ANSWER_ACCEPTED) == 0


def test_topic_page_marks_the_accepted_answer(client, member, community, answered):
    question, answer, _bob = answered
    topics.accept_answer(user=member, post=answer)
    body = client.get(question.get_absolute_url()).content.decode()
    assert "Accepted answer" in body
    assert f'id="post-{answer.pk}" class="card post is-accepted' in body


# --- Web pages and permissions --------------------------------------------------------------


def test_create_topic_through_the_form(client_for, member, community):
    response = client_for(member).post(
        reverse("community:topic_create", args=[community.slug]),
        {"kind": "question", "title": "Which kettle?", "body": "Gooseneck or not?"},
    )
    created = Topic.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.kind == "question"


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "poll", "title": "x", "body": "y"},
        {"kind": "discussion", "title": "", "body": "y"},
        {"kind": "discussion", "title": "x" * 161, "body": "y"},
        {"kind": "discussion", "title": "x", "body": "y" * 10001},
    ],
    ids=["bad-kind", "no-title", "long-title", "long-body"],
)
def test_malformed_topic_gets_form_errors(client_for, member, community, data):
    response = client_for(member).post(
        reverse("community:topic_create", args=[community.slug]), data
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert Topic.objects.count() == 0


def test_non_member_form_post_is_refused_with_a_message(client_for, make_user, community):
    response = client_for(make_user("outsider")).post(
        reverse("community:topic_create", args=[community.slug]),
        {"kind": "discussion", "title": "Hi", "body": "there"},
    )
    assert response.status_code == 403
    assert messages.NOT_A_MEMBER in response.content.decode()
    assert Topic.objects.count() == 0


def test_anonymous_reads_topic_but_is_asked_to_log_in_to_reply(client, member, community):
    thread = topic(member, community)
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and "Log in</a> to reply" in page.content.decode()
    response = client.post(reverse("community:reply", args=[community.slug, thread.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_reply_form_double_submit_and_locked_error(client_for, member, moderator, community):
    thread = topic(member, community)
    client = client_for(member)
    url = reverse("community:reply", args=[community.slug, thread.pk])
    assert client.post(url, {"body": "one"}).status_code == 302
    moderation.set_topic_locked(user=moderator, topic=thread, locked=True, reason="Closed")
    response = client.post(url, {"body": "two"})
    assert response.status_code == 400
    assert topics.TOPIC_LOCKED in response.content.decode()
    assert thread.posts.count() == 2


def test_topic_from_another_community_is_404(client_for, member, make_community, make_user):
    other = make_community("other")
    owner = make_user("owner")
    join(owner, other)
    foreign = topic(owner, other)
    url = reverse("community:topic", args=["roasters", foreign.pk])
    assert client_for(member).get(url).status_code == 404


def test_private_community_topics_are_hidden_from_outsiders(client, make_community, make_user):
    private = make_community("secret", is_public=False)
    insider = make_user("insider")
    join(insider, private, role=Membership.Role.MEMBER)
    thread = topic(insider, private)
    assert client.get(thread.get_absolute_url()).status_code == 404


def test_double_submitted_topic_and_reply_are_stored_once(client_for, member, community):
    client = client_for(member)
    data = {"kind": "discussion", "title": "Hello", "body": "Same text"}
    url = reverse("community:topic_create", args=[community.slug])
    first, second = client.post(url, data), client.post(url, data)
    assert first.url == second.url
    thread = Topic.objects.get()
    reply_url = reverse("community:reply", args=[community.slug, thread.pk])
    client.post(reply_url, {"body": "Me too"})
    client.post(reply_url, {"body": "Me too"})
    assert thread.posts.count() == 2
    assert awarded(member, actions.TOPIC_CREATED) == 1
    assert awarded(member, actions.REPLY_POSTED) == 1
