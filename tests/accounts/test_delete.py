"""Delete my account: nothing personal remains, totals and the audit trail stay consistent."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from notifications.models import Notification
from PIL import Image
from rest_framework.authtoken.models import Token

from accounts.forms import ANONYMISE, REMOVE, WRONG_PASSWORD
from accounts.models import DELETED_NAME, User
from community.models import Photo, Post, PostRevision, Review, Topic
from community.privacy import REMOVED_TITLE
from gamification.models import LedgerEntry, Score
from gamification.selectors.leaderboard import leaderboard
from realtime import events
from rewards.models import Redemption
from tenancy.models import Membership
from tests.accounts.conftest import SECRET_EMAIL, SECRET_NAME, SHIPPING
from tests.conftest import PASSWORD

URL = reverse("accounts:delete")
PERSONAL = [SECRET_NAME, SECRET_EMAIL, "Secretville", "Quillfeather", SHIPPING]


def text_columns_containing(needle: str) -> list[str]:
    """Every text-like column of every model that holds ``needle`` anywhere (any case)."""
    found = []
    text_types = (models.CharField, models.TextField, models.JSONField, models.FileField)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, text_types):
                continue
            matches = model._default_manager.annotate(
                _text=Cast(field.name, models.TextField())
            ).filter(_text__icontains=needle)
            if matches.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def delete(client, content=ANONYMISE, password=PASSWORD):
    return client.post(URL, {"content": content, "password": password})


@pytest.fixture
def pushed(monkeypatch):
    seen = []
    monkeypatch.setattr(events, "leaderboard_changed", seen.append)
    return seen


@pytest.fixture
def before(account):
    """Everyone else's totals and the ledger, as they were before the deletion."""
    return {
        "others": dict(Score.objects.exclude(member=account.user).values_list("pk", "lifetime")),
        "ledger": list(LedgerEntry.objects.order_by("pk").values_list("pk", "member_id", "points")),
    }


def test_the_search_helper_sees_personal_data_before_deletion(account):
    assert "accounts.User.username" in text_columns_containing(SECRET_NAME)
    assert "rewards.Redemption.shipping_note" in text_columns_containing(SHIPPING)


@pytest.mark.parametrize("content", [ANONYMISE, REMOVE])
def test_nothing_personal_remains(client_for, account, content, django_capture_on_commit_callbacks):
    avatar = account.user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client_for(account.user), content)
    assert response.status_code == 302
    for needle in PERSONAL:
        assert text_columns_containing(needle) == [], needle
    user = User.objects.get(pk=account.user.pk)
    assert user.username.startswith("deleted-")
    assert (user.email, user.first_name, user.last_name, user.bio, user.avatar.name) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.display_name == DELETED_NAME
    assert not default_storage.exists(avatar)


def test_keeping_contributions_anonymised(
    client, client_for, account, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete(client_for(account.user), ANONYMISE)
    user = User.objects.get(pk=account.user.pk)

    page = client.get(account.topic.get_absolute_url()).content.decode()
    assert "Zelda&#x27;s grinder" in page
    assert DELETED_NAME in page
    assert user.username not in page
    assert Review.objects.get(pk=account.review.pk).author_id == user.pk
    photo = Photo.objects.get(pk=account.photo.pk)
    with default_storage.open(photo.image.name, "rb") as stored:
        raw = stored.read()
    image = Image.open(io.BytesIO(raw))
    assert not image.getexif()
    assert b"SpyCam" not in raw and b"Exif" not in raw
    assert set(pushed) == {account.community.pk}


def test_removing_contributions(client, client_for, account, django_capture_on_commit_callbacks):
    photo_files = [account.photo.image.name, account.photo.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        delete(client_for(account.user), REMOVE)

    # Their topic stays for Bob's reply, with a placeholder where their text was.
    topic = Topic.objects.get(pk=account.topic.pk)
    assert (topic.title, topic.is_hidden) == (REMOVED_TITLE, False)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Bob's reply stays" in page
    assert "Burrs!" not in page
    assert "Deleted by its author." in page  # the one placeholder for an emptied opening post
    # Their reply elsewhere, review and photo are gone from view.
    reply = Post.objects.get(pk=account.reply.pk)
    assert reply.is_hidden and reply.body == ""
    other_page = client.get(account.neighbours_topic.get_absolute_url()).content.decode()
    assert "Washed Ethiopian" not in other_page
    assert not PostRevision.objects.filter(post__author=account.user).exists()
    review = Review.objects.get(pk=account.review.pk)
    assert review.is_hidden and review.body == ""
    assert not Photo.objects.filter(pk=account.photo.pk).exists()
    assert not any(default_storage.exists(name) for name in photo_files)


def test_a_topic_nobody_answered_disappears(client, client_for, account):
    Post.objects.filter(pk=account.neighbours_reply.pk).delete()
    delete(client_for(account.user), REMOVE)
    assert Topic.objects.get(pk=account.topic.pk).is_hidden
    assert (
        client.get(account.community.get_absolute_url()).content.decode().count(REMOVED_TITLE) == 0
    )


@pytest.mark.parametrize("content", [ANONYMISE, REMOVE])
def test_ledger_is_pseudonymised_and_other_totals_stay(client_for, account, before, content):
    delete(client_for(account.user), content)
    assert (
        list(LedgerEntry.objects.order_by("pk").values_list("pk", "member_id", "points"))
        == before["ledger"]
    )
    assert (
        dict(Score.objects.exclude(member=account.user).values_list("pk", "lifetime"))
        == before["others"]
    )
    out = io.StringIO()
    call_command("rebuild_scores", "--verify", stdout=out)
    assert "Verified" in out.getvalue()
    board = leaderboard(account.community, period="all")
    assert account.user.pk not in {entry.member_id for entry in board.entries}
    assert [e.username for e in board.entries]


def test_access_memberships_notifications_and_shipping_notes_end(client_for, account):
    Token.objects.create(user=account.user)
    other_session = client_for(account.user)
    assert Notification.objects.filter(recipient=account.user).exists()
    response = delete(client_for(account.user))
    assert SESSION_KEY not in response.wsgi_request.session
    assert not Token.objects.filter(user=account.user).exists()
    assert not Membership.objects.filter(user=account.user).exists()
    assert not Notification.objects.filter(recipient=account.user).exists()
    redemption = Redemption.objects.get(pk=account.redemption.pk)
    assert (redemption.shipping_note, redemption.cost) == ("", account.redemption.cost)
    assert redemption.code == account.redemption.code
    # Another browser that was logged in is logged out, and the old password no longer works.
    assert other_session.get(reverse("accounts:privacy")).status_code == 302
    assert not Client().login(request=HttpRequest(), username=SECRET_NAME, password=PASSWORD)


def test_a_wrong_password_deletes_nothing(client_for, account):
    response = delete(client_for(account.user), password="not-it")
    assert response.status_code == 400
    assert escape(WRONG_PASSWORD) in response.content.decode()
    user = User.objects.get(pk=account.user.pk)
    assert (user.username, user.is_active, user.email) == (SECRET_NAME, True, SECRET_EMAIL)
    assert Membership.objects.filter(user=user).count() == 2


def test_repeated_wrong_passwords_lock_the_form(client_for, account):
    client = client_for(account.user)
    for _ in range(5):
        delete(client, password="guess")
    response = delete(client)
    assert response.status_code == 429
    assert "Too many failed" in response.content.decode()
    assert User.objects.get(pk=account.user.pk).is_active


def test_a_missing_choice_is_a_form_error(client_for, member):
    response = client_for(member).post(URL, {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.get(pk=member.pk).is_active


def test_only_post_deletes_a_visit_lands_on_the_form(client_for, member):
    response = client_for(member).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:privacy") + "#delete-title"
    assert User.objects.get(pk=member.pk).is_active


def test_a_double_submit_is_harmless(client_for, account):
    client = client_for(account.user)
    assert delete(client).status_code == 302
    assert delete(client).status_code == 302  # now logged out: sent to the log-in page
    assert User.objects.filter(username__startswith="deleted-").count() == 1
