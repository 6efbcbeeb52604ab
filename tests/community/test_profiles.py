from django.urls import reverse

from community.services import moderation, photos, topics
from tests.community.helpers import image_bytes, join, topic, upload


def test_profile_shows_bio_role_and_contributions(client, make_user, moderator, community):
    carmen = make_user("carmen", bio="Three steps, no more.", first_name="Carmen")
    join(carmen, community)
    thread = topic(carmen, community, title="My routine")
    topics.reply(user=carmen, topic=thread, body="Update")
    photos.upload_photo(user=carmen, community=community, upload=upload(image_bytes()))
    hidden = topic(carmen, community, title="Secret spam")
    moderation.hide(
        user=moderator,
        community=community,
        target_type="post",
        target_id=hidden.posts.get().pk,
        reason="Spam",
    )
    url = reverse("community:member", args=[community.slug, "Carmen"])
    assert url == f"/c/{community.slug}/members/Carmen/"
    body = client.get(url).content.decode()
    assert "Three steps, no more." in body and "Member" in body
    assert "My routine" in body and "Secret spam" not in body
    assert ">1</strong><span>topic<" in body
    assert ">1</strong><span>photo<" in body


def test_profile_of_someone_outside_the_community_is_404(client, make_user, community):
    make_user("stranger")
    assert (
        client.get(reverse("community:member", args=[community.slug, "stranger"])).status_code
        == 404
    )
