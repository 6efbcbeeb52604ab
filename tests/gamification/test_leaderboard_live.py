from django.urls import reverse

from gamification import actions, awards, preferences
from gamification.selectors.feed import hidden_from_public


def test_the_board_fragment_is_the_live_board_alone(client, member, community):
    awards.record_action(member, community, actions.REVIEW_WRITTEN, community)
    url = reverse("gamification:leaderboard_fragment", args=[community.slug])
    body = client.get(url, {"period": "all", "limit": "5"}).content.decode()
    assert member.username in body
    assert "<html" not in body


def test_the_full_page_wires_the_live_refresh(client, community):
    body = client.get(reverse("gamification:leaderboard", args=[community.slug])).content.decode()
    assert "data-live-leaderboard" in body
    assert reverse("gamification:leaderboard_fragment", args=[community.slug]) in body


def test_bad_fragment_parameters_fall_back_to_defaults(client, community):
    url = reverse("gamification:leaderboard_fragment", args=[community.slug])
    assert client.get(url, {"period": "<script>", "limit": "lots"}).status_code == 200


def test_opted_out_members_are_kept_off_the_public_feed(member, community):
    awards.record_action(member, community, actions.REVIEW_WRITTEN, community)
    assert not hidden_from_public(member.pk, community.pk)
    preferences.set_leaderboard_visibility(member=member, community=community, public=False)
    assert hidden_from_public(member.pk, community.pk)
