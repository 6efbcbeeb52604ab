"""Product and tag filters of challenges, on real community content."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.models import (
    PRODUCT_NEEDS_PRODUCT_GOAL,
    PRODUCT_OF_ANOTHER_COMMUNITY,
    ChallengeIndexPage,
    ChallengePage,
    ChallengeProgress,
)
from community.models import Photo, hashtags
from community.services import catalogue, topics
from gamification import actions, awards
from tests.factories import ProductFactory


@pytest.fixture
def products(community, make_community):
    def product(c, slug):
        return ProductFactory(community=c, slug=slug, name=slug.title())

    return {
        "kettle": product(community, "kettle"),
        "grinder": product(community, "grinder"),
        "foreign": product(make_community("other-place"), "foreign"),
    }


def progress(challenge, member) -> int:
    row = ChallengeProgress.objects.filter(challenge=challenge, member=member).first()
    return row.count if row else 0


def review(member, product, *, title="Good", body="Works well."):
    return catalogue.write_review(user=member, product=product, rating=5, title=title, body=body)


def photo(member, community, *, caption="", product=None):
    """A photo row (the upload pipeline is tested elsewhere) and its award."""
    shot = Photo.objects.create(
        community=community,
        author=member,
        image="photos/x.jpg",
        thumbnail="photos/thumbs/x.jpg",
        width=1,
        height=1,
        caption=caption,
        product=product,
    )
    awards.record_action(member, community, actions.PHOTO_UPLOADED, shot)
    return shot


def test_product_challenge_counts_reviews_of_that_product_in_the_window_only(
    community, member, make_challenge, products
):
    now = timezone.now()
    kettle = make_challenge(
        goal_action=actions.REVIEW_WRITTEN, goal_count=3, product=products["kettle"]
    )
    over = make_challenge(
        goal_action=actions.REVIEW_WRITTEN,
        product=products["kettle"],
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(seconds=1),
    )
    review(member, products["grinder"])
    assert progress(kettle, member) == 0
    review(member, products["kettle"])
    assert progress(kettle, member) == 1
    assert progress(over, member) == 0


def test_product_challenge_counts_photos_of_that_product_only(
    community, member, make_challenge, products
):
    challenge = make_challenge(goal_count=5, product=products["kettle"])
    photo(member, community)
    photo(member, community, product=products["grinder"])
    photo(member, community, product=products["kettle"])
    assert progress(challenge, member) == 1


def test_tagged_challenge_counts_hashtags_in_topics_and_replies(community, member, make_challenge):
    challenge = make_challenge(goal_action=actions.TOPIC_CREATED, goal_count=5, tag="#LatteArt")
    topics.create_topic(
        user=member, community=community, kind="discussion", title="Morning", body="#espresso"
    )
    topics.create_topic(
        user=member, community=community, kind="discussion", title="My #latteart", body="Swan."
    )
    topics.create_topic(
        user=member, community=community, kind="discussion", title="Tulip", body="Try #LATTEART!"
    )
    assert progress(challenge, member) == 2


def test_tagged_challenge_counts_photo_captions_and_review_products(
    community, member, make_challenge, products
):
    photos = make_challenge(goal_count=5, tag="latteart")
    reviews = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=5, tag="kettle")
    photo(member, community, caption="Rosetta #latteart")
    photo(member, community, caption="latteart without the hash")
    review(member, products["grinder"], body="Better than my #kettle")  # a hashtag counts too
    review(member, products["kettle"])
    assert progress(photos, member) == 1
    assert progress(reviews, member) == 2


def test_hashtags_skip_headings_and_link_fragments():
    text = "# Heading\nSee https://example.com/#anchor and a&#35;b, but #Tulip-art and #v60."
    assert hashtags(text, "") == {"tulip-art", "v60"}


def test_challenge_product_must_belong_to_the_community_and_fit_the_goal(make_challenge, products):
    challenge = make_challenge(goal_action=actions.REVIEW_WRITTEN)
    challenge.product = products["foreign"]
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert PRODUCT_OF_ANOTHER_COMMUNITY in str(excinfo.value)
    challenge.product = products["kettle"]
    challenge.goal_action = actions.TOPIC_CREATED
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert PRODUCT_NEEDS_PRODUCT_GOAL in str(excinfo.value)
    challenge.goal_action = actions.PHOTO_UPLOADED
    challenge.full_clean()


def test_editor_offers_only_this_communitys_products_and_refuses_others(pages, products):
    index = ChallengeIndexPage.objects.child_of(pages).get()
    form_class = ChallengePage.get_edit_handler().get_form_class()
    form = form_class(instance=ChallengePage(), parent_page=index, for_user=None)
    assert set(form.fields["product"].queryset) == {products["kettle"], products["grinder"]}
    posted = form_class(
        {"product": products["foreign"].pk}, instance=ChallengePage(), parent_page=index
    )
    assert not posted.is_valid() and "product" in posted.errors


def test_challenge_page_names_its_product(client, make_challenge, products):
    challenge = make_challenge(goal_action=actions.REVIEW_WRITTEN, product=products["kettle"])
    body = client.get(challenge.url).content.decode()
    assert "Write a review × 2 of" in body and products["kettle"].get_absolute_url() in body
