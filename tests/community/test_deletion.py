"""Members delete their own posts and photos; the engine takes back what they earned."""

import pytest

from community import search
from community.models import HelpfulVote, Photo, Post, Report, Topic
from community.services import deletion, topics, votes
from community.services.photos import upload_photo
from core.errors import NotAllowed
from tests.community.helpers import image_bytes, join, points, topic, upload


@pytest.fixture
def alice(make_user, community):
    user = make_user("alice")
    join(user, community)
    return user


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


def test_deleting_a_reply_takes_back_its_points_and_votes(alice, bob, community):
    started = topic(alice, community)
    before = points(bob, community)
    answer = topics.reply(user=bob, topic=started, body="Grind finer, zebrawood.")
    votes.vote_helpful(user=alice, post=answer)
    assert points(bob, community) > before

    deletion.delete_post(user=bob, post=answer)

    assert points(bob, community) == before
    assert not Post.objects.filter(pk=answer.pk).exists()
    assert not HelpfulVote.objects.filter(post_id=answer.pk).exists()
    assert search.search(alice, "zebrawood") == []


def test_only_the_author_may_delete(alice, bob, community):
    started = topic(alice, community)

    with pytest.raises(NotAllowed):
        deletion.delete_post(user=bob, post=started.posts.get())


def test_an_opening_post_with_others_replies_leaves_a_placeholder(alice, bob, community):
    started = topic(alice, community, title="Kept", body="Secret opening words")
    reply = topics.reply(user=bob, topic=started, body="A reply that stays")
    Report.objects.create(
        community=community, reporter=bob, target_type="post", target_id=reply.pk, reason="x"
    )

    assert deletion.delete_post(user=alice, post=started.posts.get(is_opening=True)) == started

    opening = started.posts.get(is_opening=True)
    assert opening.is_deleted_by_author and opening.body == "" and opening.body_html == ""
    assert points(alice, community) == 0
    assert Post.objects.filter(pk=reply.pk).exists()
    assert search.search(bob, "secret") == []


def test_a_topic_without_others_replies_goes_entirely(alice, community):
    started = topic(alice, community)
    topics.reply(user=alice, topic=started, body="Me again")

    assert deletion.delete_post(user=alice, post=started.posts.get(is_opening=True)) is None

    assert not Topic.objects.filter(pk=started.pk).exists()
    assert points(alice, community) == 0


def test_the_topic_page_shows_the_placeholder(client, alice, bob, community):
    started = topic(alice, community, body="Gone words")
    topics.reply(user=bob, topic=started, body="Still here")
    deletion.delete_post(user=alice, post=started.posts.get(is_opening=True))

    content = client.get(started.get_absolute_url()).content

    assert b"Deleted by its author." in content and b"Gone words" not in content
    assert b"Still here" in content


def test_deleting_a_photo_takes_back_its_points(alice, community):
    photo = upload_photo(
        user=alice, community=community, upload=upload(image_bytes("JPEG")), caption="Mine"
    )
    storage, name = photo.image.storage, photo.image.name

    deletion.delete_photo(user=alice, photo=photo)

    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert points(alice, community) == 0
    assert storage.exists(name)  # files go after commit; the test transaction never commits


def test_the_delete_pages_confirm_first(client_for, alice, bob, community):
    started = topic(alice, community)
    answer = topics.reply(user=bob, topic=started, body="Mine to delete")
    url = f"/c/{community.slug}/posts/{answer.pk}/delete/"

    assert client_for(alice).get(url).status_code == 404
    confirm = client_for(bob).get(url)
    assert confirm.status_code == 200 and b"Delete your post?" in confirm.content
    assert Post.objects.filter(pk=answer.pk).exists()

    response = client_for(bob).post(url)

    assert response.status_code == 302
    assert not Post.objects.filter(pk=answer.pk).exists()
