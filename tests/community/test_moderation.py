import pytest
from django.urls import reverse

from community.models import ModerationAction, Report, Topic
from community.services import messages, moderation, photos, topics, votes
from core import errors
from gamification.models import LedgerEntry
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, points, topic, upload


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


@pytest.fixture
def answer_with_votes(member, bob, make_user, community):
    """Bob's accepted answer to alice's question, voted helpful by alice and carol."""
    carol = make_user("carol")
    join(carol, community)
    question = topic(member, community, kind="question")
    answer = topics.reply(user=bob, topic=question, body="Buy a scale")
    votes.vote_helpful(user=member, post=answer)
    votes.vote_helpful(user=carol, post=answer)
    topics.accept_answer(user=member, post=answer)
    return answer


def hide(user, community, target_type, target_id, reason="Spam"):
    return moderation.hide(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )


def restore(user, community, target_type, target_id, reason="Appeal accepted"):
    return moderation.restore(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )


def test_report_and_duplicate_report(member, bob, community):
    post = topic(bob, community).posts.get()
    moderation.report(
        user=member, community=community, target_type="post", target_id=post.pk, reason="Rude"
    )
    with pytest.raises(errors.AppError, match=moderation.ALREADY_REPORTED):
        moderation.report(
            user=member, community=community, target_type="post", target_id=post.pk, reason="!!"
        )
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("target_type", "reason", "message"),
    [
        ("post", "   ", messages.REASON_REQUIRED),
        ("topic", "Rude", messages.CONTENT_NOT_FOUND),
        ("photo", "Rude", messages.CONTENT_NOT_FOUND),
    ],
)
def test_bad_reports_are_refused(member, bob, community, target_type, reason, message):
    post = topic(bob, community).posts.get()
    with pytest.raises(errors.AppError, match=message):
        moderation.report(
            user=member,
            community=community,
            target_type=target_type,
            target_id=post.pk,
            reason=reason,
        )


def test_cannot_report_content_of_another_community(member, make_user, make_community, community):
    other = make_community("other")
    owner = make_user("owner")
    join(owner, other)
    foreign = topic(owner, other).posts.get()
    with pytest.raises(errors.AppError, match=messages.CONTENT_NOT_FOUND):
        moderation.report(
            user=member, community=community, target_type="post", target_id=foreign.pk, reason="x"
        )


def test_hiding_reverses_author_vote_and_acceptance_points_and_restore_gives_them_back(
    member, moderator, bob, community, answer_with_votes
):
    answer = answer_with_votes
    earned = points(bob, community)
    assert LedgerEntry.objects.filter(member=bob).values("action").distinct().count() >= 3
    hide(moderator, community, "post", answer.pk)
    assert points(bob, community) == 0
    answer.refresh_from_db()
    assert answer.is_hidden
    restore(moderator, community, "post", answer.pk)
    assert points(bob, community) == earned
    hide(moderator, community, "post", answer.pk, reason="Again")
    assert points(bob, community) == 0
    restore(moderator, community, "post", answer.pk)
    assert points(bob, community) == earned


def test_hiding_twice_or_restoring_visible_content_is_an_error(moderator, bob, community):
    post = topic(bob, community).posts.get()
    hide(moderator, community, "post", post.pk)
    with pytest.raises(errors.AppError, match=moderation.ALREADY_HIDDEN):
        hide(moderator, community, "post", post.pk)
    restore(moderator, community, "post", post.pk)
    with pytest.raises(errors.AppError, match=moderation.NOT_HIDDEN):
        restore(moderator, community, "post", post.pk)


def test_hiding_the_opening_post_hides_the_topic(client, moderator, bob, community):
    thread = topic(bob, community, title="Buy cheap pills")
    hide(moderator, community, "post", thread.posts.get().pk)
    assert Topic.objects.get().is_hidden
    assert "Buy cheap pills" not in client.get(community.get_absolute_url()).content.decode()
    assert client.get(thread.get_absolute_url()).status_code == 404


def test_hiding_resolves_reports_and_writes_the_audit_log(member, moderator, bob, community):
    photo = photos.upload_photo(user=bob, community=community, upload=upload(image_bytes()))
    moderation.report(
        user=member, community=community, target_type="photo", target_id=photo.pk, reason="Off"
    )
    hide(moderator, community, "photo", photo.pk, reason="Not our product")
    assert Report.objects.get().status == Report.Status.RESOLVED
    entry = ModerationAction.objects.get()
    assert (entry.moderator, entry.action, entry.target_type, entry.target_id, entry.reason) == (
        moderator,
        "hide",
        "photo",
        photo.pk,
        "Not our product",
    )
    assert points(bob, community) == 0


def test_dismiss_closes_reports_without_hiding(member, moderator, bob, community):
    post = topic(bob, community).posts.get()
    moderation.report(
        user=member, community=community, target_type="post", target_id=post.pk, reason="Meh"
    )
    moderation.dismiss_reports(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="Fine"
    )
    assert Report.objects.get().status == Report.Status.DISMISSED
    post.refresh_from_db()
    assert not post.is_hidden
    with pytest.raises(errors.AppError, match=moderation.NO_OPEN_REPORTS):
        moderation.dismiss_reports(
            user=moderator, community=community, target_type="post", target_id=post.pk, reason="x"
        )


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, None])
def test_wrong_role_cannot_moderate(make_user, bob, community, role):
    user = make_user("wannabe")
    if role:
        join(user, community, role=role)
    post = topic(bob, community).posts.get()
    with pytest.raises(errors.NotAllowed):
        hide(user, community, "post", post.pk)
    post.refresh_from_db()
    assert not post.is_hidden


def test_moderator_of_another_community_cannot_hide_here(make_user, make_community, bob, community):
    other = make_community("other")
    foreign_mod = make_user("foreignmod")
    join(foreign_mod, other, role=Membership.Role.MODERATOR)
    post = topic(bob, community).posts.get()
    with pytest.raises(errors.NotAllowed):
        hide(foreign_mod, community, "post", post.pk)
    with pytest.raises(errors.AppError, match=messages.CONTENT_NOT_FOUND):
        hide(foreign_mod, other, "post", post.pk)


def test_moderation_reason_is_required(moderator, bob, community):
    post = topic(bob, community).posts.get()
    with pytest.raises(errors.AppError, match=messages.REASON_REQUIRED):
        hide(moderator, community, "post", post.pk, reason=" ")


# --- Web queue ------------------------------------------------------------------------------


def test_queue_shows_reported_item_in_context_and_the_log(
    client_for, member, moderator, bob, community, django_assert_max_num_queries
):
    for i in range(5):
        author = bob if i < 3 else moderator  # a newcomer may open three topics a day
        post = topic(author, community, title=f"Topic {i}", body=f"Body {i}").posts.get()
        moderation.report(
            user=member, community=community, target_type="post", target_id=post.pk, reason="Odd"
        )
    photo = photos.upload_photo(user=bob, community=community, upload=upload(image_bytes()))
    moderation.report(
        user=member, community=community, target_type="photo", target_id=photo.pk, reason="Blurry"
    )
    hide(moderator, community, "post", post.pk, reason="Clearly spam")
    client = client_for(moderator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("community:moderation", args=[community.slug]))
    body = response.content.decode()
    assert "Body 0" in body and "Blurry" in body and photo.thumbnail.url in body
    assert "Clearly spam" in body  # the audit log
    assert "Hidden content" in body


def test_members_are_turned_away_from_the_queue(client_for, member, community):
    response = client_for(member).get(
        reverse("community:moderation", args=[community.slug]), follow=True
    )
    assert messages.MODERATORS_ONLY in response.content.decode()


def test_hide_button_posts_with_reason_and_returns(client_for, moderator, bob, community):
    post = topic(bob, community).posts.get()
    client = client_for(moderator)
    url = reverse("community:moderate", args=[community.slug, "post", post.pk, "hide"])
    response = client.post(url, {"reason": "Spam", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == reverse("community:moderation", args=[community.slug])
    post.refresh_from_db()
    assert post.is_hidden
    missing = client.post(
        reverse("community:moderate", args=[community.slug, "post", post.pk, "explode"]),
        {"reason": "x"},
    )
    assert missing.status_code == 404


def test_hide_without_reason_through_the_page_changes_nothing(
    client_for, moderator, bob, community
):
    post = topic(bob, community).posts.get()
    url = reverse("community:moderate", args=[community.slug, "post", post.pk, "hide"])
    response = client_for(moderator).post(url, {"reason": ""}, follow=True)
    assert messages.REASON_REQUIRED in response.content.decode()
    post.refresh_from_db()
    assert not post.is_hidden


def test_lock_through_the_page(client_for, moderator, bob, community):
    thread = topic(bob, community)
    client = client_for(moderator)
    url = reverse("community:lock", args=[community.slug, thread.pk])
    client.post(url, {"reason": "Cooling off", "locked": "1"})
    assert Topic.objects.get().is_locked
    assert ModerationAction.objects.get().action == "lock"


def test_report_page_flow(client_for, member, bob, community):
    post = topic(bob, community).posts.get()
    url = reverse("community:report", args=[community.slug, "post", post.pk])
    client = client_for(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Rude words"}).status_code == 302
    again = client.post(url, {"reason": "Rude words"})
    assert moderation.ALREADY_REPORTED in again.content.decode()
    bogus = client.get(
        reverse("community:report", args=[community.slug, "user", post.pk]), follow=True
    )
    assert messages.CONTENT_NOT_FOUND in bogus.content.decode()
