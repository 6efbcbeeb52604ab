"""First-action welcomes: a one-time bonus and a thank-you per kind, member and community."""

import json

import pytest
from django.core.files.base import ContentFile

from community.services import catalogue, membership, moderation, photos, topics
from core import errors
from gamification import actions, awards, setup, welcomes
from gamification.models import LedgerEntry, PointRule
from gamification.recognitions import WELCOME
from realtime import event_types
from tests.community.helpers import image_bytes, topic, upload
from tests.factories import MembershipFactory, ProductFactory

WELCOMES = [
    actions.WELCOME_FIRST_POST,
    actions.WELCOME_FIRST_REVIEW,
    actions.WELCOME_FIRST_PHOTO,
    actions.WELCOME_PROFILE,
]


def welcome_rows(member, action):
    return list(LedgerEntry.objects.filter(member=member, action=action).order_by("pk"))


def test_first_contribution_is_the_welcome_of_its_kind(member, community):
    first = topic(member, community, title="Hello", body="First!")
    topics.reply(user=member, topic=first, body="And a reply")
    topic(member, community, title="Again", body="Second topic")
    assert welcome_rows(member, actions.WELCOME_FIRST_POST) == []
    (bonus,) = welcome_rows(member, actions.FIRST_CONTRIBUTION)
    assert bonus.points == 10
    verbs = list(member.notifications.values_list("verb", flat=True))
    assert verbs.count("earned a welcome bonus for your first post") == 1


def test_thank_you_event_travels_and_reads_well(member, community, make_obj):
    recognitions = awards.record_action(member, community, actions.REPLY_POSTED, make_obj())
    (event,) = recognitions.of_type(WELCOME)
    assert json.loads(json.dumps(event)) == event
    assert event["what"] == "your first post" and event["url"] == community.get_absolute_url()
    assert event_types.title(event) == "You earned a welcome bonus for your first post"
    assert event_types.body(event) == "Thank you for your first post in Roasters! (+10 points)"
    assert event["type"] in event_types.RECOGNITION_TYPES


def test_other_kinds_earn_their_own_welcome_with_a_stored_thank_you(member, community, make_obj):
    awards.record_action(member, community, actions.TOPIC_CREATED, make_obj())
    recognitions = awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    (row,) = welcome_rows(member, actions.WELCOME_FIRST_REVIEW)
    assert row.points == actions.DEFAULT_POINTS[actions.WELCOME_FIRST_REVIEW]
    assert row.key == f"welcome:{actions.WELCOME_FIRST_REVIEW}:{community.pk}:{member.pk}"
    assert recognitions.of_type(WELCOME)[0]["what"] == "your first review"
    verbs = list(member.notifications.values_list("verb", flat=True))
    assert "earned a welcome bonus for your first review" in verbs


def test_each_kind_is_welcomed_once(member, community, make_obj):
    for action in (
        actions.TOPIC_CREATED,
        actions.ANSWER_POSTED,
        actions.REVIEW_WRITTEN,
        actions.REVIEW_WRITTEN,
        actions.PHOTO_UPLOADED,
        actions.PHOTO_UPLOADED,
    ):
        awards.record_action(member, community, action, make_obj())
    counts = {a: len(welcome_rows(member, a)) for a in WELCOMES}
    assert counts == {
        actions.WELCOME_FIRST_POST: 0,
        actions.WELCOME_FIRST_REVIEW: 1,
        actions.WELCOME_FIRST_PHOTO: 1,
        actions.WELCOME_PROFILE: 0,
    }
    assert len(welcome_rows(member, actions.FIRST_CONTRIBUTION)) == 1


def test_welcomes_are_per_community(member, community, make_community, make_obj):
    other = make_community("hikers")
    MembershipFactory(user=member, community=other)
    for place in (community, other):
        awards.record_action(member, place, actions.TOPIC_CREATED, make_obj())
        awards.record_action(member, place, actions.PHOTO_UPLOADED, make_obj())
    rows = welcome_rows(member, actions.WELCOME_FIRST_PHOTO)
    assert sorted(r.community_id for r in rows) == sorted([community.pk, other.pk])


def test_hiding_the_first_post_takes_the_welcome_back_and_never_grants_another(
    member, community, moderator
):
    first = topic(member, community, title="Spam", body="buy now")
    post = first.posts.get()
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="spam"
    )
    topic(member, community, title="Sorry", body="A real question")
    bonus = welcome_rows(member, actions.FIRST_CONTRIBUTION)
    assert [r.points for r in bonus] == [10, -10]
    assert welcome_rows(member, actions.WELCOME_FIRST_POST) == []


def test_a_manager_can_change_the_welcome_points(member, community, make_obj):
    setup.ensure_defaults(community)
    PointRule.objects.filter(community=community, action=actions.WELCOME_FIRST_REVIEW).update(
        points=40
    )
    awards.record_action(member, community, actions.TOPIC_CREATED, make_obj())
    recognitions = awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    assert welcome_rows(member, actions.WELCOME_FIRST_REVIEW)[0].points == 40
    assert recognitions.of_type(WELCOME)[0]["points"] == 40


def test_double_submitted_first_review_is_welcomed_once(member, community):
    topic(member, community)
    product = ProductFactory(community=community, name="Beans", slug="beans")
    catalogue.write_review(user=member, product=product, rating=5, title="Yum", body="x")
    with pytest.raises(errors.AppError):
        catalogue.write_review(user=member, product=product, rating=5, title="Yum", body="x")
    assert len(welcome_rows(member, actions.WELCOME_FIRST_REVIEW)) == 1


def test_first_photo_upload_is_welcomed(member, community):
    topic(member, community)
    photos.upload_photo(user=member, community=community, upload=upload(image_bytes("JPEG")))
    assert len(welcome_rows(member, actions.WELCOME_FIRST_PHOTO)) == 1


def complete(user):
    user.first_name = "Alice"
    user.bio = "Espresso nerd"
    user.avatar.save("a.jpg", ContentFile(image_bytes("JPEG")), save=True)


def test_completed_profile_is_welcomed_once_in_every_community(member, community, make_community):
    other = make_community("hikers")
    MembershipFactory(user=member, community=other)
    assert not welcomes.record_profile_completed(member=member)
    complete(member)
    welcomes.record_profile_completed(member=member)
    welcomes.record_profile_completed(member=member)
    rows = welcome_rows(member, actions.WELCOME_PROFILE)
    assert sorted(r.community_id for r in rows) == sorted([community.pk, other.pk])


def test_joining_with_a_completed_profile_is_welcomed_there(member, make_community):
    complete(member)
    later = make_community("later")
    membership.join_community(user=member, community=later)
    membership.join_community(user=member, community=later)
    (row,) = welcome_rows(member, actions.WELCOME_PROFILE)
    assert row.community_id == later.pk


def test_leaving_and_rejoining_does_not_welcome_the_profile_again(member, make_community):
    complete(member)
    later = make_community("later")
    membership.join_community(user=member, community=later)
    membership.leave_community(user=member, community=later)
    membership.join_community(user=member, community=later)
    assert len(welcome_rows(member, actions.WELCOME_PROFILE)) == 1
