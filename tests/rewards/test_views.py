import re
import uuid

from django.urls import reverse

from gamification.models import Score
from rewards import services
from rewards.models import Redemption, Reward


def _redeem_url(community, reward):
    return reverse("rewards:redeem", args=[community.slug, reward.pk])


def test_catalog_page(
    client_for, rich_member, community, make_reward, django_assert_max_num_queries
):
    for i in range(5):
        make_reward(name=f"Reward {i}", cost=10 * (i + 1))
    client = client_for(rich_member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("rewards:catalog", args=[community.slug]))
    assert response.status_code == 200
    assert "200</strong> points to spend" in response.text
    assert response.text.count("Redeem for") == 5


def test_double_submit_redeems_once_and_shows_the_code(
    client_for, rich_member, community, make_reward
):
    reward = make_reward(cost=60)
    client = client_for(rich_member)
    data = {f"r{reward.pk}-token": str(uuid.uuid4())}
    first = client.post(_redeem_url(community, reward), data)
    second = client.post(_redeem_url(community, reward), data, follow=True)
    redemption = Redemption.objects.get()
    assert first.url == reverse("rewards:redemption", args=[community.slug, redemption.pk])
    assert redemption.code in second.text
    assert Score.objects.get(member=rich_member).balance == 140


def test_refusal_shows_the_message(client_for, rich_member, community, make_reward):
    reward = make_reward(cost=500)
    response = client_for(rich_member).post(
        _redeem_url(community, reward), {f"r{reward.pk}-token": str(uuid.uuid4())}, follow=True
    )
    assert services.NOT_ENOUGH_POINTS.replace("'", "&#x27;") in response.text


def test_bad_token_is_a_message_not_a_500(client_for, rich_member, community, make_reward):
    reward = make_reward()
    response = client_for(rich_member).post(
        _redeem_url(community, reward), {f"r{reward.pk}-token": "nope"}, follow=True
    )
    assert response.status_code == 200 and "reload the page" in response.text


def test_my_redemptions(
    client_for, rich_member, community, make_reward, django_assert_max_num_queries
):
    for i in range(3):
        services.redeem(member=rich_member, reward=make_reward(cost=10), idempotency_key=str(i))
    client = client_for(rich_member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("rewards:mine", args=[community.slug]))
    assert len(re.findall(r'class="reward-code"', response.text)) == 3


def test_manager_fulfils_and_cancels(client_for, rich_member, manager, community, make_reward):
    reward = make_reward(cost=10, stock=2, kind=Reward.Kind.PHYSICAL_ITEM)
    one, _ = services.redeem(
        member=rich_member, reward=reward, idempotency_key="1", shipping_note="1 Bean St"
    )
    two, _ = services.redeem(
        member=rich_member, reward=reward, idempotency_key="2", shipping_note="1 Bean St"
    )
    client = client_for(manager)
    page = client.get(reverse("rewards:manage", args=[community.slug]))
    assert "1 Bean St" in page.text and "100% of members redeemed" in page.text
    client.post(reverse("rewards:fulfil", args=[community.slug, one.pk]))
    client.post(reverse("rewards:cancel", args=[community.slug, two.pk]), {"reason": "Lost"})
    statuses = dict(Redemption.objects.values_list("pk", "status"))
    assert statuses == {one.pk: "fulfilled", two.pk: "cancelled"}
    assert Score.objects.get(member=rich_member).balance == 190


def test_cancel_without_reason_is_a_message(
    client_for, rich_member, manager, community, make_reward
):
    redemption, _ = services.redeem(member=rich_member, reward=make_reward(), idempotency_key="1")
    response = client_for(manager).post(
        reverse("rewards:cancel", args=[community.slug, redemption.pk]), {}, follow=True
    )
    assert "Please give a reason." in response.text
    assert Redemption.objects.get().status == "pending"


def test_members_cannot_manage(client_for, rich_member, community):
    response = client_for(rich_member).get(reverse("rewards:manage", args=[community.slug]))
    assert response.status_code == 403


def test_redeeming_asks_first_and_says_what_it_costs(
    client_for, rich_member, community, make_reward
):
    reward = make_reward(cost=150, name="Tote bag", kind=Reward.Kind.PHYSICAL_ITEM)
    client = client_for(rich_member)
    page = client.get(_redeem_url(community, reward))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Redeem Tote bag?" in html and "from 200 to <strong>50</strong>" in html
    assert "Shipping address" in html
    assert not Redemption.objects.exists()

    short = make_reward(cost=999, name="Espresso machine")
    html = client.get(_redeem_url(community, short)).content.decode()
    assert "not enough for this one yet" in html and " disabled>" in html
