"""Demo pages: a home page, a challenge index with a live challenge, and an announcement per
community. Idempotent: pages are looked up by slug under their parent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.access import sync_brand_manager_access
from cms.models import AnnouncementPage, ChallengeIndexPage, ChallengePage, CommunityHomePage
from community.models import Product
from gamification import actions, awards
from tenancy.models import Community, Membership

DEFAULT_CHALLENGE = (
    "Brew it your way",
    "Share a photo of how you use our products this week.",
    actions.PHOTO_UPLOADED,
    2,
)
CHALLENGES = {
    "ember-roasters": (
        "Brew it your way",
        "Share a photo of how you brew this week.",
        actions.PHOTO_UPLOADED,
        2,
    ),
    "summit-supply": (
        "Trail-tested",
        "Review two pieces of gear you used outside.",
        actions.REVIEW_WRITTEN,
        2,
    ),
    "glow-lab": (
        "Routine check",
        "Answer three routine questions from newcomers.",
        actions.ANSWER_POSTED,
        3,
    ),
}


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else Page.get_first_root_node()


# How many goal actions each demo member has done toward the demo challenge.
DEMO_PROGRESS = {"alice": 3, "bob": 3, "fatima": 2, "dev": 1, "carmen": 1}


def _take_part(challenge: ChallengePage, community: Community) -> None:
    """Demo members work on the challenge through the engine (fixed keys: seeding twice is a
    no-op), so the page shows progress, finishers and a board."""
    members = Membership.objects.filter(
        community=community, user__username__in=DEMO_PROGRESS
    ).select_related("user")
    for membership in members.order_by("user__username"):
        user = membership.user
        for n in range(min(DEMO_PROGRESS[user.username], challenge.goal_count)):
            awards.record_action(
                user,
                community,
                challenge.goal_action,
                None,
                key=f"demo-challenge:{challenge.pk}:{user.pk}:{n}",
            )


# A challenge about one product that opens tomorrow: members whose level grants early access
# (the demo's Insider level, see gamification.demo) can take part already.
UPCOMING = {"ember-roasters": ("House Blend week", "house-blend", 12)}


def _upcoming_product_challenge(index: Page, community: Community, now) -> None:
    if community.slug not in UPCOMING:
        return
    title, product_slug, opens_in_hours = UPCOMING[community.slug]
    product = Product.objects.filter(community=community, slug=product_slug).first()
    if product is None:
        return
    _child(
        index,
        ChallengePage,
        "house-blend-week",
        title=title,
        summary=f"Review the {product.name}: one honest review counts.",
        body=f"<p>Tell us how you brew the {product.name} and what you taste.</p>",
        starts_at=now + timedelta(hours=opens_in_hours),
        ends_at=now + timedelta(days=8),
        goal_action=actions.REVIEW_WRITTEN,
        goal_count=1,
        product=product,
        reward_points=20,
    )


@transaction.atomic
def seed(communities: list[Community]) -> None:
    root = site_root()
    now = timezone.now()
    for community in communities:
        home = _child(
            root,
            CommunityHomePage,
            community.slug,
            title=community.name,
            community=community,
            intro=f"<p>{community.tagline}</p>",
            body=[
                ("rich_text", {"heading": "Welcome", "text": f"<p>{community.description}</p>"}),
                ("open_challenges", {"heading": "Open challenges"}),
                ("announcements", {"heading": "News from the team", "count": 3}),
            ],
        )
        index = _child(home, ChallengeIndexPage, "challenges", title="Challenges")
        title, summary, action, count = CHALLENGES.get(community.slug, DEFAULT_CHALLENGE)
        challenge = _child(
            index,
            ChallengePage,
            "this-week",
            title=title,
            summary=summary,
            body=f"<p>{summary} Every contribution in the window counts.</p>",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            goal_action=action,
            goal_count=count,
            reward_points=30,
            first_finishers=3,
            first_finishers_bonus=20,
        )
        _take_part(challenge, community)
        _upcoming_product_challenge(index, community, now)
        _child(
            home,
            AnnouncementPage,
            "welcome",
            title=f"Welcome to the {community.name} community",
            summary="What this place is for, and how recognition works.",
            body="<p>Post, ask, answer and share. Every small contribution is recognised.</p>",
        )
        sync_brand_manager_access(community)
