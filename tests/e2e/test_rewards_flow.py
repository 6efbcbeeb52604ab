"""A member redeems a reward and sees the code; the brand manager marks it fulfilled."""

from accounts.models import User
from gamification import actions, awards, setup
from rewards.models import Reward, RewardCode
from tenancy.models import Community, Membership
from tests.e2e.conftest import login

PASSWORD = "e2e-pass-123!"


def setup_community():
    community = Community.objects.create(slug="ember", name="Ember")
    member = User.objects.create_user("mia", password=PASSWORD)
    manager = User.objects.create_user("max", password=PASSWORD)
    Membership.objects.create(user=member, community=community)
    Membership.objects.create(user=manager, community=community, role=Membership.Role.BRAND_MANAGER)
    setup.ensure_defaults(community)
    awards.award(member, community, actions.KUDOS_RECEIVED, manager, key="e2e-points", points=100)
    reward = Reward.objects.create(
        community=community, name="10% off beans", cost=40, code_source=Reward.CodeSource.POOL
    )
    RewardCode.objects.create(reward=reward, code="EMBER-10-XYZ")
    return community


def test_redeem_then_manager_fulfils(server, new_page):
    setup_community()
    page = new_page(width=390, height=900)
    login(page, server, "mia", PASSWORD)
    page.goto(f"{server}/c/ember/rewards/")
    page.get_by_role("link", name="Redeem for 40").click()
    assert page.get_by_text("your balance goes from").is_visible()
    page.get_by_role("button", name="Spend 40 points").click()
    assert page.get_by_text("EMBER-10-XYZ").first.is_visible()

    manager = new_page(width=1280, height=900)
    login(manager, server, "max", PASSWORD)
    manager.goto(f"{server}/c/ember/")
    manager.get_by_role("link", name="Manage redemptions").click()
    manager.wait_for_url(f"{server}/c/ember/rewards/manage/")
    assert manager.get_by_text("10% off beans · mia").is_visible()
    manager.get_by_role("button", name="Mark fulfilled").click()
    assert manager.get_by_text("Marked 10% off beans for mia fulfilled.").is_visible()

    page.goto(f"{server}/c/ember/rewards/mine/")
    assert page.locator(".status-fulfilled").first.is_visible()
    assert page.get_by_text("Fulfilled").first.is_visible()
