import pytest
from django.urls import reverse

from community.models import Photo
from community.services import messages, moderation, photos
from core import errors
from gamification import actions
from gamification.models import LedgerEntry
from safety import images
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, topic, upload


def add_photo(user, community, caption="Latte art", **extra):
    return photos.upload_photo(
        user=user, community=community, upload=upload(image_bytes("JPEG")), caption=caption, **extra
    )


def test_upload_through_the_form(client_for, member, community):
    response = client_for(member).post(
        reverse("community:photo_upload", args=[community.slug]),
        {"image": upload(image_bytes("PNG"), name="x.png"), "caption": "Morning brew"},
    )
    photo = Photo.objects.get()
    assert response.status_code == 302 and response.url == photo.get_absolute_url()
    assert photo.caption == "Morning brew"


def test_bad_file_through_the_form_shows_the_reason(client_for, member, community):
    response = client_for(member).post(
        reverse("community:photo_upload", args=[community.slug]),
        {"image": upload(b"<html><script>alert(1)</script></html>"), "caption": "x"},
    )
    assert response.status_code == 400
    assert images.NOT_AN_IMAGE in response.content.decode()
    assert Photo.objects.count() == 0


def test_form_without_a_file_is_a_field_error(client_for, member, community):
    response = client_for(member).post(
        reverse("community:photo_upload", args=[community.slug]), {"caption": "x"}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_non_member_upload_is_refused(client_for, make_user, community):
    response = client_for(make_user("outsider")).post(
        reverse("community:photo_upload", args=[community.slug]),
        {"image": upload(image_bytes("PNG")), "caption": "x"},
    )
    assert response.status_code == 403
    assert messages.NOT_A_MEMBER in response.content.decode()
    assert Photo.objects.count() == 0


def test_links_must_be_in_the_same_community(member, make_user, make_community, community):
    other = make_community("other")
    owner = make_user("owner")
    join(owner, other)
    foreign_topic = topic(owner, other)
    with pytest.raises(errors.AppError, match=messages.WRONG_COMMUNITY):
        add_photo(member, community, topic=foreign_topic)


def test_moderator_features_a_photo_once(member, moderator, community):
    photo = add_photo(member, community)
    for _ in range(2):
        moderation.set_featured(
            user=moderator,
            community=community,
            target_type="photo",
            target_id=photo.pk,
            featured=True,
            reason="Photo of the week",
        )
    photo.refresh_from_db()
    assert photo.is_featured
    assert LedgerEntry.objects.filter(action=actions.PHOTO_FEATURED, member=member).count() == 1


def test_members_cannot_feature(member, make_user, community):
    bob = make_user("bob")
    join(bob, community, role=Membership.Role.MEMBER)
    photo = add_photo(member, community)
    with pytest.raises(errors.NotAllowed, match=messages.MODERATORS_ONLY):
        moderation.set_featured(
            user=bob,
            community=community,
            target_type="photo",
            target_id=photo.pk,
            featured=True,
            reason="mine",
        )


def test_gallery_lists_featured_first_and_hides_hidden(client, member, moderator, community):
    plain = add_photo(member, community, caption="Plain one")
    star = add_photo(member, community, caption="Star one")
    gone = add_photo(moderator, community, caption="Gone one")  # newcomers: 2 photos a day
    moderation.set_featured(
        user=moderator,
        community=community,
        target_type="photo",
        target_id=plain.pk,
        featured=True,
        reason="Nice",
    )
    moderation.hide(
        user=moderator, community=community, target_type="photo", target_id=gone.pk, reason="Spam"
    )
    body = client.get(reverse("community:gallery", args=[community.slug])).content.decode()
    assert body.index("Plain one") < body.index("Star one")
    assert "Gone one" not in body
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert star.get_absolute_url() in body


def test_upload_linked_to_a_topic_from_the_topic_page(client_for, member, community):
    thread = topic(member, community)
    client = client_for(member)
    form_page = client.get(
        reverse("community:photo_upload", args=[community.slug]) + f"?topic={thread.pk}"
    )
    assert f'<option value="{thread.pk}" selected>' in form_page.content.decode()
    client.post(
        reverse("community:photo_upload", args=[community.slug]),
        {"image": upload(image_bytes("PNG")), "caption": "x", "topic": thread.pk},
    )
    assert Photo.objects.get().topic == thread


def test_topic_from_another_community_is_not_a_choice(
    client_for, member, make_user, make_community
):
    other = make_community("other")
    owner = make_user("owner")
    join(owner, other)
    foreign = topic(owner, other)
    response = client_for(member).post(
        reverse("community:photo_upload", args=["roasters"]),
        {"image": upload(image_bytes("PNG")), "caption": "x", "topic": foreign.pk},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Photo.objects.count() == 0
