"""A member with something of every kind: content, points, kudos, a redemption, files."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import User
from community.models import Photo, Post, Review, Topic
from community.services import catalogue, photos, recognition, topics, votes
from gamification import setup
from rewards import services as rewards
from rewards.models import Redemption, Reward
from tenancy.models import Community, Membership
from tests.community.helpers import image_bytes, join, upload
from tests.factories import ProductFactory

SECRET_NAME = "zelda_quill"
SECRET_EMAIL = "zelda.quill@example.org"
SHIPPING = "Ship to 7 Hidden Lane, Secretville"


@dataclass
class Account:
    user: User
    community: Community
    other_community: Community
    neighbour: User
    moderator: User
    topic: Topic
    neighbours_topic: Topic
    reply: Post
    neighbours_reply: Post
    review: Review
    photo: Photo
    redemption: Redemption


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    return image_bytes("JPEG", size=(80, 40), exif=exif.tobytes())


@pytest.fixture
def account(make_user, make_community) -> Account:
    home = make_community("roasters")
    other = make_community("tea-club")
    for each in (home, other):
        setup.ensure_defaults(each)
    user = make_user(
        SECRET_NAME,
        email=SECRET_EMAIL,
        first_name="Zelda",
        last_name="Quillfeather",
        bio="Lives in Secretville",
    )
    user.avatar.save("me.jpg", ContentFile(image_bytes("JPEG")), save=True)
    neighbour = make_user("bob")
    moderator = make_user("morgan")
    join(user, home)
    join(neighbour, home)
    join(moderator, home, role=Membership.Role.MODERATOR)
    join(user, other, role=Membership.Role.MODERATOR)
    join(neighbour, other)

    own_topic = topics.create_topic(
        user=user, community=home, kind="discussion", title="Zelda's grinder", body="Burrs!"
    )
    neighbours_reply = topics.reply(user=neighbour, topic=own_topic, body="Bob's reply stays")
    neighbours_topic = topics.create_topic(
        user=neighbour, community=home, kind="question", title="Beans?", body="Bob asks: tips?"
    )
    reply = topics.reply(user=user, topic=neighbours_topic, body="First draft of my answer")
    reply = topics.edit_post(user=user, post=reply, body="Washed Ethiopian, says Zelda")
    votes.vote_helpful(user=neighbour, post=reply)
    product = ProductFactory(community=home, name="Grinder One", slug="grinder-one")
    review = catalogue.write_review(
        user=user, product=product, rating=4, title="Zelda likes it", body="Quiet and even"
    )
    photo = photos.upload_photo(
        user=user, community=home, upload=upload(gps_jpeg()), caption="Zelda's kitchen"
    )
    recognition.give_kudos(
        giver=moderator, community=home, recipient_username=user.username, message="Thanks!"
    )
    recognition.give_kudos(
        giver=user, community=other, recipient_username="bob", message="Welcome, Bob"
    )
    reward = Reward.objects.create(
        community=home, name="Sticker", cost=1, kind=Reward.Kind.PHYSICAL_ITEM
    )
    redemption, _ = rewards.redeem(
        member=user, reward=reward, idempotency_key="once", shipping_note=SHIPPING
    )
    return Account(
        user=user,
        community=home,
        other_community=other,
        neighbour=neighbour,
        moderator=moderator,
        topic=own_topic,
        neighbours_topic=neighbours_topic,
        reply=reply,
        neighbours_reply=neighbours_reply,
        review=review,
        photo=photo,
        redemption=redemption,
    )
