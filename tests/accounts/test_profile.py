"""The profile page: display name, bio and avatar; completing it is welcomed."""

from django.urls import reverse

from gamification import actions
from gamification.models import LedgerEntry
from tests.community.helpers import image_bytes, upload

URL = reverse("accounts:profile")


def test_profile_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_renders_with_labels_in_few_queries(member, client_for, django_assert_max_num_queries):
    client = client_for(member)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("id_first_name", "id_bio", "id_avatar"):
        assert f'<label for="{field}"' in html


def test_help_text_is_what_the_field_is_described_by(member, client_for):
    html = client_for(member).get(URL).content.decode()
    for field in ("id_bio", "id_avatar"):
        assert f'aria-describedby="{field}_helptext"' in html
        assert f'id="{field}_helptext"' in html


def test_completing_the_profile_saves_it_and_earns_the_welcome(member, community, client_for):
    client = client_for(member)
    data = {"first_name": "Alice", "bio": "Espresso nerd", "avatar": upload(image_bytes("JPEG"))}
    response = client.post(URL, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.bio) == ("Alice", "Espresso nerd") and member.avatar
    client.post(URL, {"first_name": "Alice B", "bio": "Espresso nerd"})
    rows = LedgerEntry.objects.filter(member=member, action=actions.WELCOME_PROFILE)
    assert rows.count() == 1
    assert "completing your profile" in member.notifications.values_list("verb", flat=True)[0]


def test_an_incomplete_profile_earns_nothing(member, community, client_for):
    client_for(member).post(URL, {"first_name": "Alice", "bio": ""})
    assert not LedgerEntry.objects.filter(action=actions.WELCOME_PROFILE).exists()


def test_a_bad_avatar_is_a_form_error_and_changes_nothing(member, client_for):
    bad = upload(b"not an image at all", name="x.jpg")
    response = client_for(member).post(URL, {"first_name": "New", "bio": "b", "avatar": bad})
    assert response.status_code == 200
    assert "not a JPEG, PNG, WebP or HEIC photo" in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "" and not member.avatar
