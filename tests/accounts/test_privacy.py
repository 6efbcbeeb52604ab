"""The privacy settings page and the profile activity gate."""

import pytest
from django.urls import reverse

from accounts.forms import ACTIVITY_LABEL
from gamification import actions, awards, preferences
from gamification.models import PeriodScore, Score
from gamification.selectors.feed import hidden_from_public
from gamification.selectors.leaderboard import leaderboard
from realtime import events
from tenancy.models import Membership
from tests.community.helpers import join, topic

URL = reverse("accounts:privacy")


@pytest.fixture
def pushed(monkeypatch):
    """Communities whose leaderboard was marked changed."""
    seen = []
    monkeypatch.setattr(events, "leaderboard_changed", seen.append)
    return seen


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.post(reverse("accounts:export")).status_code == 302
    assert client.post(reverse("accounts:delete")).status_code == 302


def test_the_page_lists_each_community_with_labelled_fields(client_for, member, community):
    body = client_for(member).get(URL).content.decode()
    assert ACTIVITY_LABEL in body
    assert f'for="id_hide_{community.pk}"' in body
    assert community.name in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'for="id_password"' in body


def test_the_page_keeps_a_flat_query_count(
    client_for, make_user, make_community, django_assert_max_num_queries
):
    user = make_user("busy")
    for index in range(8):
        community = make_community(f"c{index}")
        join(user, community)
        awards.record_action(user, community, actions.REVIEW_WRITTEN, community)
    client = client_for(user)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_hiding_from_boards_updates_the_board_and_pushes_a_change(
    client_for, member, community, make_user, pushed
):
    awards.record_action(member, community, actions.REVIEW_WRITTEN, community)
    other = make_user("bob")
    join(other, community)
    awards.record_action(other, community, actions.REVIEW_WRITTEN, community)
    pushed.clear()

    response = client_for(member).post(URL, {f"hide_{community.pk}": "on"})

    assert response.status_code == 302
    assert hidden_from_public(member.pk, community.pk)
    assert not PeriodScore.objects.filter(member=member, public=True).exists()
    names = [e.username for e in leaderboard(community, period="all", viewer=other).entries]
    assert names == ["bob"]
    assert pushed == [community.pk]


def test_saving_unchanged_settings_writes_and_pushes_nothing(client_for, member, community, pushed):
    awards.record_action(member, community, actions.REVIEW_WRITTEN, community)
    pushed.clear()
    client_for(member).post(URL, {})
    assert pushed == []
    assert Score.objects.get(member=member).public


def test_coming_back_on_the_boards(client_for, member, community, pushed):
    preferences.set_leaderboard_visibility(member=member, community=community, public=False)
    client_for(member).post(URL, {})
    assert not hidden_from_public(member.pk, community.pk)


def test_a_forged_field_for_a_community_one_does_not_belong_to_is_ignored(
    client_for, member, make_community
):
    elsewhere = make_community("elsewhere")
    response = client_for(member).post(URL, {f"hide_{elsewhere.pk}": "on"})
    assert response.status_code == 302
    assert not Score.objects.filter(community=elsewhere).exists()


def test_double_submit_is_harmless(client_for, member, community, pushed):
    client = client_for(member)
    for _ in range(2):
        assert client.post(URL, {f"hide_{community.pk}": "on"}).status_code == 302
    assert Score.objects.filter(member=member, public=False).count() == 1
    assert pushed == [community.pk]


@pytest.fixture
def private_profile(member, community):
    member.activity_members_only = True
    member.bio = "Espresso nerd"
    member.save()
    topic(member, community, title="My secret grinder setup")
    return reverse("community:member", args=[community.slug, member.username])


def test_activity_only_for_members_hides_it_from_anonymous_visitors(client, private_profile):
    body = client.get(private_profile).content.decode()
    assert "Espresso nerd" in body
    assert "My secret grinder setup" not in body
    assert "Badges" not in body
    assert "only to members of" in body


def test_a_member_of_another_community_sees_only_the_card(
    client_for, make_user, make_community, private_profile
):
    outsider = make_user("olga")
    join(outsider, make_community("elsewhere"))
    body = client_for(outsider).get(private_profile).content.decode()
    assert "Espresso nerd" in body
    assert "My secret grinder setup" not in body


def test_members_of_the_community_the_member_and_staff_see_the_activity(
    client_for, make_user, community, member, private_profile
):
    neighbour = make_user("nina")
    join(neighbour, community)
    staff = make_user("sam", is_staff=True)
    for reader in (neighbour, member, staff):
        body = client_for(reader).get(private_profile).content.decode()
        assert "My secret grinder setup" in body, reader
        assert "Badges" in body


def test_without_the_setting_everyone_sees_the_activity(client, member, community):
    topic(member, community, title="Open book")
    url = reverse("community:member", args=[community.slug, member.username])
    assert "Open book" in client.get(url).content.decode()


def test_the_setting_is_saved_from_the_page(client_for, member):
    client_for(member).post(URL, {"activity_members_only": "on"})
    member.refresh_from_db()
    assert member.activity_members_only


def test_the_own_profile_links_to_the_privacy_page(client_for, member, community):
    url = reverse("community:member", args=[community.slug, member.username])
    assert URL in client_for(member).get(url).content.decode()


def test_private_profile_query_count(client, private_profile, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(private_profile).status_code == 200


def test_membership_role_is_still_shown(client, private_profile, member):
    assert (
        Membership.objects.get(user=member).get_role_display()
        in client.get(private_profile).content.decode()
    )
