"""Demo data: three brand communities with members, a moderator and a brand manager each.

Only ``manage.py seed_demo`` calls this. Every step is idempotent (looked up by natural keys),
so running it again changes nothing and never duplicates content.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from community.demo_content import CONTENT
from community.demo_images import product_shot
from community.models import Photo, Product, Report, Review, Topic
from community.services import catalogue, moderation, votes
from community.services.photos import upload_photo
from community.services.topics import accept_answer, create_topic, reply
from tenancy.models import Community, Membership

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


def ensure_products(community: Community, spec: dict, users: dict[str, User]) -> dict:
    products = {}
    for name, slug, summary, *_look in spec["products"]:
        product = Product.objects.filter(community=community, slug=slug).first()
        products[slug] = product or catalogue.save_product(
            user=users["brand"], community=community, name=name, slug=slug, summary=summary
        )
    return products


def ensure_topic(community: Community, topic_spec: dict, users: dict[str, User]) -> Topic:
    """A topic with its replies, votes and accepted answer, written through the services."""
    topic = Topic.objects.filter(community=community, title=topic_spec["title"]).first()
    if topic is None:
        topic = create_topic(
            user=users[topic_spec["author"]],
            community=community,
            kind=topic_spec["kind"],
            title=topic_spec["title"],
            body=topic_spec["body"],
        )
        for author, body in topic_spec["replies"]:
            reply(user=users[author], topic=topic, body=body)
    replies = list(topic.posts.filter(is_opening=False).order_by("created_at", "id"))
    for index, voter in topic_spec.get("votes", []):
        votes.vote_helpful(user=users[voter], post=replies[index])
    if "accept" in topic_spec:
        accept_answer(user=topic.author, post=replies[topic_spec["accept"]])
    return topic


def ensure_reviews(spec: dict, products: dict, users: dict[str, User]) -> list[Review]:
    reviews = []
    for slug, author, rating, title, body in spec["reviews"]:
        product = products[slug]
        review = Review.objects.filter(product=product, author=users[author]).first()
        reviews.append(
            review
            or catalogue.write_review(
                user=users[author], product=product, rating=rating, title=title, body=body
            )
        )
    return reviews


def ensure_photos(community: Community, spec: dict, products, users) -> list[Photo]:
    looks = {
        slug: (shape, color, accent) for _n, slug, _s, shape, color, accent in spec["products"]
    }
    photos = []
    for author, caption, slug, shape in spec["photos"]:
        photo = Photo.objects.filter(community=community, caption=caption).first()
        if photo is None:
            _shape, color, accent = looks[slug]
            data = product_shot(shape, color=color, accent=accent, **spec["palette"])
            photo = upload_photo(
                user=users[author],
                community=community,
                upload=SimpleUploadedFile("demo.png", data, content_type="image/png"),
                caption=caption,
                product=products[slug],
            )
        photos.append(photo)
    return photos


def ensure_report(community, spec, topics, reviews, photos, users) -> None:
    reporter, target_type, index, reason = spec["report"]
    if target_type == "post":
        target = topics[index].posts.filter(is_opening=False).order_by("id").first()
    else:
        target = {"photo": photos, "review": reviews}[target_type][index]
    already = Report.objects.filter(
        reporter=users[reporter], target_type=target_type, target_id=target.pk
    ).exists()
    if not already:
        moderation.report(
            user=users[reporter],
            community=community,
            target_type=target_type,
            target_id=target.pk,
            reason=reason,
        )


def ensure_content(community: Community, users: dict[str, User]) -> None:
    spec = CONTENT[community.slug]
    products = ensure_products(community, spec, users)
    topics = [ensure_topic(community, topic, users) for topic in spec["topics"]]
    reviews = ensure_reviews(spec, products, users)
    photos = ensure_photos(community, spec, products, users)
    featured = photos[spec["featured_photo"]]
    moderation.set_featured(
        user=users["mod"],
        community=community,
        target_type="photo",
        target_id=featured.pk,
        featured=True,
        reason="Lovely light: photo of the week.",
    )
    ensure_report(community, spec, topics, reviews, photos, users)


@transaction.atomic
def seed_communities() -> list[Community]:
    """Accounts, communities and memberships, without content."""
    users = {account.username: ensure_account(account) for account in ACCOUNTS}
    return [ensure_community(spec, users) for spec in COMMUNITIES]


@transaction.atomic
def seed_content(communities: list[Community]) -> None:
    usernames = [account.username for account in ACCOUNTS]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    for community in communities:
        ensure_content(community, users)


def seed() -> list[Community]:
    """Communities with their content (what most tests need)."""
    communities = seed_communities()
    seed_content(communities)
    return communities
