"""Level perks: a flair next to the name, and what the next level unlocks (early access to
challenges is tested with the challenges in tests/cms/test_challenge_early_access.py)."""

from django.urls import reverse

from community.services import topics
from gamification import actions, awards, setup
from gamification.models import Level
from gamification.selectors import progress
from rewards.models import Reward


def setup_perks(community):
    setup.ensure_defaults(community)
    Level.objects.filter(community=community, name="Regular").update(flair="☕ Regular")
    return Level.objects.get(community=community, name="Contributor")


def give(member, community, points):
    awards.award(
        member, community, actions.KUDOS_RECEIVED, member, key=f"perk:{points}", points=points
    )


def test_flair_is_the_highest_reached_level_with_one(member, community):
    setup_perks(community)
    levels = progress.levels_of(community)
    assert progress.level_progress(levels, 10).flair == ""
    assert progress.level_progress(levels, 10).next_flair == "☕ Regular"
    assert progress.level_progress(levels, 60).flair == "☕ Regular"
    assert progress.level_progress(levels, 5000).flair == "☕ Regular"


def test_profile_shows_flair_and_what_the_next_level_unlocks(
    member, community, client_for, django_assert_max_num_queries
):
    contributor = setup_perks(community)
    for name in ("Tasting", "Mug"):
        Reward.objects.create(community=community, name=name, cost=10, min_level=contributor)
    client = client_for(member)
    url = reverse("community:member", args=[community.slug, member.username])
    html = client.get(url).content.decode()
    assert "Next level: Regular · unlocks: the flair “☕ Regular”" in html
    give(member, community, 60)
    with django_assert_max_num_queries(40):
        html = client.get(url).content.decode()
    assert '<span class="flair">☕ Regular</span>' in html
    assert "Next level: Contributor · unlocks: 2 rewards" in html


def test_leaderboard_shows_flair(member, community, client_for):
    setup_perks(community)
    give(member, community, 60)
    url = reverse("gamification:leaderboard", args=[community.slug]) + "?period=all"
    html = client_for(member).get(url).content.decode()
    assert '<span class="flair">☕ Regular</span>' in html


def test_posts_show_their_authors_flair(member, community, client_for, make_user):
    setup_perks(community)
    give(member, community, 60)
    thread = topics.create_topic(
        user=member, community=community, kind="discussion", title="Hi", body="Hello"
    )
    html = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert '<span class="flair">☕ Regular</span>' in html


def test_next_level_line_lists_early_access(member, community, client_for):
    contributor = setup_perks(community)
    Level.objects.filter(pk=contributor.pk).update(early_access_hours=12)
    Reward.objects.create(community=community, name="Mug", cost=10, min_level=contributor)
    give(member, community, 60)
    url = reverse("community:member", args=[community.slug, member.username])
    html = client_for(member).get(url).content.decode()
    assert "Next level: Contributor · unlocks: 1 reward, early access to challenges (12 h)" in html
    assert progress.level_progress(progress.levels_of(community), 60).next_early_hours == 12
