import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from cms import selectors
from cms.models import (
    BADGE_NOT_MANUAL,
    BADGE_OF_ANOTHER_COMMUNITY,
    ChallengePage,
    ChallengePageForm,
)
from gamification import actions
from gamification.models import Badge
from tests.factories import ProductFactory


def test_page_shows_member_progress_counts_and_finishers(
    community, member, make_member, make_challenge, act, client_for, django_assert_max_num_queries
):
    challenge = make_challenge(goal_count=2, first_finishers=1, first_finishers_bonus=10)
    winner = make_member("winner")
    act(winner, community)
    act(winner, community)
    act(member, community)
    client = client_for(member)
    with django_assert_max_num_queries(20):
        body = client.get(challenge.url).content.decode()
    assert "1 of 2" in body
    assert "<strong>2</strong><span>joined</span>" in body
    assert "<strong>1</strong><span>finished</span>" in body
    assert "winner" in body and "bonus" in body


def test_the_button_leads_to_where_the_goal_is_done(community, member, make_challenge, client_for):
    product = ProductFactory(community=community, name="House Blend", slug="house-blend")
    review_it = make_challenge(goal_action=actions.REVIEW_WRITTEN, product=product)
    assert review_it.call_to_action() == (
        "Review House Blend",
        f"/c/{community.slug}/products/house-blend/",
    )
    body = client_for(member).get(review_it.url).content.decode()
    assert f'href="/c/{community.slug}/products/house-blend/">Review House Blend</a>' in body
    photos = make_challenge(goal_action=actions.PHOTO_UPLOADED)
    assert photos.call_to_action() == ("Share a photo", f"/c/{community.slug}/photos/new/")
    answers = make_challenge(goal_action=actions.ANSWER_POSTED)
    assert answers.call_to_action()[0] == "Go to the forum"


def test_anonymous_visitors_are_asked_to_log_in(client, make_challenge):
    body = client.get(make_challenge().url).content.decode()
    assert "Log in to take part" in body and "Nobody has finished yet" in body


def test_times_show_in_the_community_time_zone(client, community, make_challenge):
    community.time_zone = "Asia/Tokyo"
    community.save()
    ends = datetime(2099, 1, 2, 3, 30, tzinfo=UTC)
    body = client.get(make_challenge(ends_at=ends).url).content.decode()
    assert "2 Jan 2099, 12:30 JST" in body and "Times in Asia/Tokyo" in body


def test_members_only_challenge_is_hidden_from_outsiders(
    client, member, community, pages, make_challenge, client_for
):
    challenge = make_challenge(title="Secret sip", visibility=ChallengePage.Visibility.MEMBERS)
    response = client.get(challenge.url)
    assert response.status_code == 403 and b"This challenge is for members" in response.content
    assert "Secret sip" not in client.get(pages.url).content.decode()
    assert client_for(member).get(challenge.url).status_code == 200
    assert "Secret sip" in client_for(member).get(pages.url).content.decode()


def test_challenges_for_member_and_profile_partial(community, member, make_challenge, act):
    open_one = make_challenge(title="Open one", goal_count=4)
    make_challenge(
        title="Finished",
        ends_at=timezone.now() - timedelta(minutes=1),
        starts_at=timezone.now() - timedelta(days=1),
    )
    act(member, community)
    items = selectors.challenges_for_member(member, community)
    assert [(i.challenge.pk, i.progress.count, i.progress.percent) for i in items] == [
        (open_one.pk, 1, 25)
    ]
    html = render_to_string(
        "cms/_challenge_progress.html", {"challenges": items, "community": community}
    )
    assert "Open one" in html and 'value="25"' in html


@pytest.fixture
def badges(community, make_community):
    other = make_community("other-place")

    def badge(c, slug, criterion="manual", **extra):
        return Badge.objects.create(
            community=c, slug=slug, name=slug, description="x", criterion=criterion, **extra
        )

    return {
        "own": badge(community, "own"),
        "auto": badge(community, "auto", criterion="lifetime_points", bronze=10),
        "foreign": badge(other, "foreign"),
    }


def test_reward_badge_must_be_a_manual_badge_of_the_same_community(make_challenge, badges):
    challenge = make_challenge()
    challenge.reward_badge = badges["foreign"]
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert BADGE_OF_ANOTHER_COMMUNITY in str(excinfo.value)
    challenge.reward_badge = badges["auto"]
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert BADGE_NOT_MANUAL in str(excinfo.value)


def test_editor_offers_only_this_communitys_manual_badges(pages, badges):
    from cms.models import ChallengeIndexPage

    index = ChallengeIndexPage.objects.child_of(pages).get()
    form_class = ChallengePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ChallengePageForm)
    form = form_class(instance=ChallengePage(), parent_page=index, for_user=None)
    assert list(form.fields["reward_badge"].queryset) == [badges["own"]]


def preview_data(index_title="Preview me"):
    now = timezone.now()
    return {
        "title": index_title,
        "slug": "preview-me",
        "summary": "A preview",
        "body": json.dumps(
            {
                "blocks": [
                    {
                        "key": "a1",
                        "type": "unstyled",
                        "text": "Brew and share.",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
        "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "goal_action": "photo.uploaded",
        "goal_count": "2",
        "tag": "",
        "reward_points": "10",
        "reward_badge": "",
        "first_finishers": "0",
        "first_finishers_bonus": "0",
        "visibility": "public",
    }


@pytest.fixture
def brand_client(pages, brand, client_for):
    return client_for(brand)


def test_preview_of_a_new_challenge(brand_client, pages):
    from cms.models import ChallengeIndexPage

    index = ChallengeIndexPage.objects.child_of(pages).get()
    url = f"/cms/pages/add/cms/challengepage/{index.pk}/preview/"
    response = brand_client.post(url, preview_data())
    assert response.json()["is_valid"] is True
    body = brand_client.get(url).content.decode()
    assert "Preview me" in body and "0 of 2" in body and "Brew and share." in body


def test_preview_of_an_edited_challenge(brand_client, make_challenge):
    challenge = make_challenge()
    url = f"/cms/pages/{challenge.pk}/edit/preview/"
    response = brand_client.post(url, preview_data("Edited title"))
    assert response.json()["is_valid"] is True
    assert "Edited title" in brand_client.get(url).content.decode()
    challenge.refresh_from_db()
    assert challenge.title == "Photo week"


def test_home_page_shows_open_challenges_with_the_members_progress(
    community, member, pages, make_challenge, act, client_for, django_assert_max_num_queries
):
    make_challenge(title="Open one", goal_count=4)
    act(member, community)
    client = client_for(member)
    with django_assert_max_num_queries(25):
        body = client.get(pages.url).content.decode()
    assert "Open one" in body and "1 of 4" in body
