"""Referrals: invite links, joining through them, the payout on a first contribution."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.services import membership, moderation
from gamification import actions, awards, referrals, setup
from gamification.models import CommunityGameSettings, LedgerEntry, Referral
from tenancy.models import Membership
from tests.community.helpers import topic
from tests.factories import MembershipFactory


@pytest.fixture
def code(member, community):
    return referrals.invite_code(member=member, community=community).code


def join_url(community, code):
    return reverse("community:join", args=[community.slug]) + f"?ref={code}"


def follow_and_join(client, community, code):
    client.get(join_url(community, code))
    return client.post(reverse("community:join", args=[community.slug]), follow=True)


def points(user, action):
    return sum(
        LedgerEntry.objects.filter(member=user, action=action).values_list("points", flat=True)
    )


def test_invite_code_is_stable_unguessable_and_per_membership(member, community, make_community):
    first = referrals.invite_code(member=member, community=community).code
    assert referrals.invite_code(member=member, community=community).code == first
    assert len(first) >= 16
    other = make_community("hikers")
    assert referrals.invite_code(member=member, community=other).code != first


def test_newcomer_joins_through_the_link_and_both_are_paid_on_first_post(
    member, community, code, make_user, client_for
):
    newcomer = make_user("nina")
    client = client_for(newcomer)
    response = follow_and_join(client, community, code)
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert (referral.referrer, referral.newcomer, referral.paid_at) == (member, newcomer, None)
    topic(newcomer, community)
    topic(newcomer, community, title="Second", body="again")
    referral.refresh_from_db()
    assert referral.paid_at is not None and referral.referrer_paid
    assert points(member, actions.REFERRAL_COMPLETED) == 20
    assert points(newcomer, actions.REFERRAL_WELCOME) == 10
    verbs = list(member.notifications.values_list("verb", flat=True))
    assert "earned a referral bonus: nina joined in" in verbs


def test_invite_survives_sign_up(member, community, code, client):
    response = client.get(join_url(community, code))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signup/")
    signup = client.get(response["Location"])
    assert 'name="next" value="/c/roasters/"' in signup.content.decode()
    response = client.post(
        response["Location"],
        {
            "username": "newbie",
            "password1": "a-long-pass-123!",
            "password2": "a-long-pass-123!",
            "next": "/c/roasters/",
        },
    )
    assert response["Location"] == "/c/roasters/"
    client.post(reverse("community:join", args=[community.slug]))
    assert Referral.objects.get().newcomer.username == "newbie"


def test_signup_ignores_a_next_on_another_site(db, client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "password1": "a-long-pass-123!",
            "password2": "a-long-pass-123!",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_own_link_is_refused_with_a_message(member, community, code, client_for):
    response = client_for(member).get(join_url(community, code), follow=True)
    assert referrals.INVITE_OWN in response.content.decode()
    assert not Referral.objects.exists()


def test_someone_elses_or_unknown_code_is_a_clear_message(
    member, community, make_community, make_user, client_for
):
    other = make_community("hikers")
    MembershipFactory(user=member, community=other)
    foreign = referrals.invite_code(member=member, community=other).code
    client = client_for(make_user("nina"))
    for bad in (foreign, "nope", "x" * 500):
        response = follow_and_join(client, community, bad)
        assert response.status_code == 200
        assert referrals.INVITE_UNKNOWN in response.content.decode()
        Membership.objects.filter(user__username="nina").delete()
    assert not Referral.objects.exists()


def test_already_a_member_does_not_count(member, community, code, make_user, client_for):
    old = make_user("olga")
    membership.join_community(user=old, community=community)
    response = client_for(old).get(join_url(community, code), follow=True)
    assert referrals.INVITE_ALREADY_MEMBER in response.content.decode()
    assert not Referral.objects.exists()


def test_leaving_and_rejoining_through_a_link_does_not_count(
    member, community, code, make_user, client_for
):
    old = make_user("olga")
    membership.join_community(user=old, community=community)
    membership.leave_community(user=old, community=community)
    response = follow_and_join(client_for(old), community, code)
    assert referrals.INVITE_NOT_NEW in response.content.decode()
    assert Membership.objects.filter(user=old, community=community).exists()
    assert not Referral.objects.exists()


def test_double_join_records_one_referral_and_pays_once(
    member, community, code, make_user, client_for
):
    newcomer = make_user("nina")
    client = client_for(newcomer)
    client.get(join_url(community, code))
    url = reverse("community:join", args=[community.slug])
    client.post(url)
    client.post(url)
    membership.join_community(user=newcomer, community=community, referral_code=code)
    assert Referral.objects.count() == 1
    topic(newcomer, community)
    assert LedgerEntry.objects.filter(action=actions.REFERRAL_COMPLETED).count() == 1


def test_self_referral_is_impossible_in_the_service_too(member, community, code):
    membership.leave_community(user=member, community=community)
    membership.join_community(user=member, community=community, referral_code=code)
    assert not Referral.objects.exists()


def test_monthly_cap_stops_the_referrer_bonus_not_the_newcomers(member, community, code, make_user):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(referral_monthly_cap=2)
    friends = [make_user(f"friend{i}") for i in range(3)]
    for friend in friends:
        membership.join_community(user=friend, community=community, referral_code=code)
        topic(friend, community)
    assert LedgerEntry.objects.filter(member=member, action=actions.REFERRAL_COMPLETED).count() == 2
    assert LedgerEntry.objects.filter(action=actions.REFERRAL_WELCOME).count() == 3
    assert list(Referral.objects.order_by("pk").values_list("referrer_paid", flat=True)) == [
        True,
        True,
        False,
    ]


def test_cap_resets_next_month(member, community, code, make_user):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(referral_monthly_cap=1)
    early, late = make_user("early"), make_user("late")
    for friend in (early, late):
        membership.join_community(user=friend, community=community, referral_code=code)
    awards.record_action(early, community, actions.REVIEW_WRITTEN, early)
    Referral.objects.filter(newcomer=early).update(
        paid_month=(timezone.now() - timedelta(days=40)).date().replace(day=1)
    )
    awards.record_action(late, community, actions.REVIEW_WRITTEN, late)
    assert LedgerEntry.objects.filter(member=member, action=actions.REFERRAL_COMPLETED).count() == 2


def test_hidden_first_post_then_another_does_not_pay_twice(
    member, community, code, make_user, moderator
):
    newcomer = make_user("nina")
    membership.join_community(user=newcomer, community=community, referral_code=code)
    first = topic(newcomer, community)
    moderation.hide(
        user=moderator,
        community=community,
        target_type="post",
        target_id=first.posts.get().pk,
        reason="spam",
    )
    topic(newcomer, community, title="Again", body="A real one")
    assert LedgerEntry.objects.filter(action=actions.REFERRAL_COMPLETED).count() == 2  # + reversal
    assert points(member, actions.REFERRAL_COMPLETED) == 0


def test_hiding_the_first_contribution_takes_the_referral_back_and_restoring_returns_it(
    member, community, code, make_user, moderator
):
    newcomer = make_user("nina")
    membership.join_community(user=newcomer, community=community, referral_code=code)
    post = topic(newcomer, community).posts.get()

    def paid():
        return points(member, actions.REFERRAL_COMPLETED), points(
            newcomer, actions.REFERRAL_WELCOME
        )

    assert paid() == (20, 10)
    target = {"community": community, "target_type": "post", "target_id": post.pk}
    moderation.hide(user=moderator, reason="junk from a throwaway account", **target)
    assert paid() == (0, 0)
    moderation.restore(user=moderator, reason="it was fine", **target)
    assert paid() == (20, 10)


def test_invite_page_lists_who_joined_and_whether_it_paid(
    member, community, code, make_user, client_for, django_assert_max_num_queries
):
    for name in ("nina", "omar"):
        friend = make_user(name)
        membership.join_community(user=friend, community=community, referral_code=code)
    topic(Referral.objects.get(newcomer__username="nina").newcomer, community)
    client = client_for(member)
    url = reverse("gamification:invite", args=[community.slug])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/c/roasters/join/?ref={code}" in html
    assert '<label id="invite-link-label" for="invite-link">' in html
    assert "nina" in html and "Paid out" in html
    assert "omar" in html and "Waiting for a first contribution" in html
    assert "1 of 10" in html


def test_invite_page_for_a_non_member_sends_them_to_join(community, make_user, client_for):
    client = client_for(make_user("stranger"))
    response = client.get(reverse("gamification:invite", args=[community.slug]))
    assert response.status_code == 302 and response["Location"] == "/c/roasters/"
