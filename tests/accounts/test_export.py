"""Export my data: one zip, one JSON file per kind, only the member's own data."""

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.urls import reverse

from accounts import selectors
from gamification.models import LedgerEntry
from tests.accounts.conftest import SECRET_EMAIL, SECRET_NAME, SHIPPING

URL = reverse("accounts:export")
FILES = {
    "README.txt",
    "profile.json",
    "privacy.json",
    "memberships.json",
    "topics.json",
    "posts.json",
    "reviews.json",
    "photos.json",
    "helpful_votes.json",
    "reports.json",
    "ledger.json",
    "scores.json",
    "badges.json",
    "kudos_received.json",
    "kudos_given.json",
    "challenges.json",
    "redemptions.json",
    "notifications.json",
    "notification_preferences.json",
}


def download(client) -> zipfile.ZipFile:
    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def load(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def test_the_archive_holds_everything_the_member_wrote_uploaded_earned_and_redeemed(
    client_for, account
):
    archive = download(client_for(account.user))
    names = set(archive.namelist())
    assert names >= FILES
    readme = archive.read("README.txt").decode()
    assert all(name in readme for name in FILES - {"README.txt"})

    (profile,) = load(archive, "profile.json")
    assert (profile["username"], profile["email"]) == (SECRET_NAME, SECRET_EMAIL)
    assert profile["bio"] == "Lives in Secretville"
    assert archive.read(profile["avatar"]) == account.user.avatar.read()

    assert {m["community__slug"] for m in load(archive, "memberships.json")} == {
        "roasters",
        "tea-club",
    }
    assert [t["title"] for t in load(archive, "topics.json")] == ["Zelda's grinder"]
    posts = {p["id"]: p for p in load(archive, "posts.json")}
    assert set(posts) == {account.topic.posts.get(is_opening=True).pk, account.reply.pk}
    assert posts[account.reply.pk]["body"] == "Washed Ethiopian, says Zelda"
    assert [r["body"] for r in posts[account.reply.pk]["revisions"]] == ["First draft of my answer"]
    assert [r["title"] for r in load(archive, "reviews.json")] == ["Zelda likes it"]

    (photo,) = load(archive, "photos.json")
    assert photo["caption"] == "Zelda's kitchen"
    with default_storage.open(account.photo.image.name, "rb") as stored:
        assert archive.read(photo["file"]) == stored.read()

    ledger = load(archive, "ledger.json")
    assert {row["id"] for row in ledger} == set(
        LedgerEntry.objects.filter(member=account.user).values_list("pk", flat=True)
    )
    assert any(row["action"] == "reward.spent" for row in ledger)
    scores = {s["community"]: s for s in load(archive, "scores.json")}
    assert scores["roasters"]["lifetime_points"] > 0
    assert scores["roasters"]["level"]
    assert [k["message"] for k in load(archive, "kudos_received.json")] == ["Thanks!"]
    assert [k["message"] for k in load(archive, "kudos_given.json")] == ["Welcome, Bob"]
    (redemption,) = load(archive, "redemptions.json")
    assert redemption["shipping_note"] == SHIPPING
    assert redemption["reward__name"] == "Sticker"
    assert load(archive, "notifications.json")
    (privacy,) = load(archive, "privacy.json")
    assert privacy == {
        "profile_activity_members_only": False,
        "public_leaderboards": {"roasters": True, "tea-club": True},
    }


def test_nothing_of_another_member_is_in_the_archive(client_for, account):
    archive = download(client_for(account.user))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        errors="replace"
    )
    assert "Bob's reply stays" not in everything
    assert "Bob asks" not in everything
    theirs = set(LedgerEntry.objects.filter(member=account.neighbour).values_list("pk", flat=True))
    assert theirs
    assert not {row["id"] for row in load(archive, "ledger.json")} & theirs


def test_another_member_downloads_only_their_own(client_for, account):
    archive = download(client_for(account.neighbour))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        errors="replace"
    )
    assert SECRET_EMAIL not in everything
    assert SHIPPING not in everything
    assert "First draft of my answer" not in everything
    assert load(archive, "photos.json") == []


def test_downloads_are_rate_limited(client_for, member):
    client = client_for(member)
    for _ in range(3):
        assert client.post(URL).status_code == 200
    refused = client.post(URL)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "too often" in refused.content.decode()


def test_only_post_starts_a_download(client_for, member):
    assert client_for(member).get(URL).status_code == 405


def test_the_archive_reads_a_bounded_number_of_queries(account, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        archive = zipfile.ZipFile(selectors.export_file(account.user))
    assert archive.testzip() is None
