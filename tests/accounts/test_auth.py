import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts.forms import USERNAME_TAKEN
from accounts.models import User
from accounts.services import SignUpError, create_account

SIGNUP = {"username": "newbie", "password1": "a-strong-pass-77", "password2": "a-strong-pass-77"}


def test_signup_logs_the_new_member_in(client, db):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    assert User.objects.filter(username="newbie").exists()
    assert client.get(reverse("home")).context["user"].username == "newbie"


def test_username_is_unique_case_insensitively(client, make_user):
    make_user("Alice")
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "username": "alice"})
    assert response.status_code == 200
    assert USERNAME_TAKEN in response.context["form"].errors["username"]
    assert User.objects.count() == 1


def test_database_refuses_a_case_variant_even_past_the_form(make_user):
    make_user("Alice")
    with pytest.raises(SignUpError, match=USERNAME_TAKEN):
        create_account(username="ALICE", password="x-strong-pass-1")


def test_login_is_case_insensitive(client, make_user):
    make_user("Alice")
    response = client.post(
        reverse("accounts:login"), {"username": "aLiCe", "password": "test-pass-123!"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_bad_login_shows_a_message_not_a_500(client, make_user):
    make_user("alice")
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_malformed_signup_keeps_what_was_stored(client, make_user):
    make_user("alice")
    response = client.post(reverse("accounts:signup"), {"username": "", "password1": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == 1


def test_logout_needs_post_and_ends_the_session(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "test-pass-123!",
            "new_password1": "another-pass-99",
            "new_password2": "another-pass-99",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-pass-99")


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_with_one_name_create_one_account():
    errors, barrier = [], threading.Barrier(4)

    def sign_up(name):
        barrier.wait()
        try:
            create_account(username=name, password="a-strong-pass-77")
        except SignUpError as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign_up, args=(n,)) for n in ["racer", "Racer", "RACER", "rAcer"]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert User.objects.filter(username__iexact="racer").count() == 1
    assert errors == [USERNAME_TAKEN] * 3
