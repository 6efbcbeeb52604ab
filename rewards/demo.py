"""Demo rewards for ``manage.py seed_demo``: a small catalog per community and one redemption for
alice in the first. Runs after the other demos (alice needs points); a second run changes
nothing (catalog rows are looked up by name, the redemption by its idempotency key)."""

from gamification.models import Level
from rewards import services
from rewards.models import Reward
from tenancy.models import Community, Membership

DEMO_KEY = "demo:first-redemption"
POOL_CODES = [f"BREW-{n:04d}" for n in range(1, 21)]

CATALOG = [
    {
        "name": "10% off your next order",
        "kind": Reward.Kind.DISCOUNT_CODE,
        "code_source": Reward.CodeSource.POOL,
        "cost": 50,
        "limit_per_member": 2,
        "description": "A one-time code for the shop.",
    },
    {
        "name": "Early access to the spring drop",
        "kind": Reward.Kind.EARLY_ACCESS,
        "early_access_hours": 24,
        "early_access_days": 60,
        "cost": 80,
        "limit_per_member": 1,
        "description": "New challenges open to you a day before everyone else, for two months.",
    },
    {
        "name": "Supporter flair",
        "kind": Reward.Kind.PROFILE_FLAIR,
        "flair": "★ Supporter",
        "cost": 30,
        "limit_per_member": 1,
        "description": "A little badge of honour next to your name.",
    },
    {
        "name": "Limited tote bag",
        "kind": Reward.Kind.PHYSICAL_ITEM,
        "cost": 150,
        "stock": 5,
        "limit_per_member": 1,
        "description": "Shipped to you; tell us where when you redeem.",
        "min_level": 2,
    },
]


def seed(communities: list[Community]) -> None:
    for community in communities:
        levels = list(Level.objects.filter(community=community).order_by("min_points"))
        manager = (
            Membership.objects.filter(community=community, role=Membership.Role.BRAND_MANAGER)
            .select_related("user")
            .first()
        )
        for spec in CATALOG:
            spec = dict(spec)
            level_index = spec.pop("min_level", None)
            if level_index is not None and len(levels) > level_index:
                spec["min_level"] = levels[level_index]
            reward, _ = Reward.objects.get_or_create(
                community=community, name=spec.pop("name"), defaults=spec
            )
            if reward.code_source == Reward.CodeSource.POOL and manager is not None:
                services.add_pool_codes(reward=reward, by=manager.user, codes=POOL_CODES)
    _alice_redeems(communities[0])


def _alice_redeems(community: Community) -> None:
    alice = Membership.objects.filter(community=community, user__username="alice").first()
    reward = Reward.objects.filter(community=community, kind=Reward.Kind.DISCOUNT_CODE).first()
    if alice is None or reward is None:
        return
    services.redeem(member=alice.user, reward=reward, idempotency_key=DEMO_KEY)
