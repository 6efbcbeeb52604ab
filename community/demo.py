"""Demo data: three brand communities with members, a moderator and a brand manager each.

Only ``manage.py seed_demo`` calls this. Every step is idempotent (looked up by natural keys),
so running it again changes nothing and never duplicates content.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from community.models import Community, Membership

DEMO_PASSWORD = "demo-pass-123"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    bio: str
    superuser: bool = False


ACCOUNTS = [
    DemoAccount("alice", "Alice", "Pour-over nerd, weekend hiker, always testing a new grinder."),
    DemoAccount("bob", "Bob", "Trail runner. Reviews gear honestly, answers questions kindly."),
    DemoAccount("mod", "Morgan", "Keeps the conversation friendly. Ask me anything."),
    DemoAccount("brand", "Bree", "Community lead for our brands. I publish the challenges."),
    DemoAccount("admin", "Ada", "Site administrator.", superuser=True),
    DemoAccount("carmen", "Carmen", "Skincare minimalist. Three steps, no more."),
    DemoAccount("dev", "Devon", "Espresso on weekdays, cold brew on weekends."),
    DemoAccount("eli", "Eli", "Ultralight backpacker; every gram counts."),
    DemoAccount("fatima", "Fatima", "Photographer. Will shoot your latte art."),
    DemoAccount("gus", "Gus", "Just here for the roast of the month."),
]

COMMUNITIES = [
    {
        "slug": "ember-roasters",
        "name": "Ember Roasters",
        "tagline": "Small-batch coffee, roasted on Tuesdays.",
        "description": (
            "Brew guides, roast notes and the occasional latte-art disaster. Share how you brew "
            "our beans, ask the roasters anything, and tell us what to roast next."
        ),
        "accent_color": "#b4461f",
        "time_zone": "Europe/London",
        "members": ["alice", "bob", "dev", "fatima", "gus"],
    },
    {
        "slug": "summit-supply",
        "name": "Summit Supply",
        "tagline": "Outdoor gear that earns its place in your pack.",
        "description": (
            "Trip reports, gear reviews and honest answers from people who actually use the "
            "stuff. Ask before you buy; report back after the trip."
        ),
        "accent_color": "#1f6f5c",
        "time_zone": "America/Denver",
        "members": ["alice", "bob", "eli", "fatima"],
    },
    {
        "slug": "glow-lab",
        "name": "Glow Lab",
        "tagline": "Gentle skincare, tested by our regulars.",
        "description": (
            "Routines, ingredient questions and before-and-after photos. Be kind: every skin is "
            "different."
        ),
        "accent_color": "#a23b72",
        "time_zone": "America/New_York",
        "members": ["alice", "carmen", "fatima"],
    },
]


def ensure_account(account: DemoAccount) -> User:
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "bio": account.bio,
            "email": f"{account.username}@example.com",
            "is_staff": account.superuser,
            "is_superuser": account.superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def ensure_community(spec: dict, users: dict[str, User]) -> Community:
    fields = {k: v for k, v in spec.items() if k not in {"slug", "members"}}
    community, _ = Community.objects.get_or_create(slug=spec["slug"], defaults=fields)
    roles = {"mod": Membership.Role.MODERATOR, "brand": Membership.Role.BRAND_MANAGER}
    for username in [*spec["members"], *roles]:
        Membership.objects.get_or_create(
            user=users[username],
            community=community,
            defaults={"role": roles.get(username, Membership.Role.MEMBER)},
        )
    return community


@transaction.atomic
def seed() -> list[Community]:
    users = {account.username: ensure_account(account) for account in ACCOUNTS}
    return [ensure_community(spec, users) for spec in COMMUNITIES]
