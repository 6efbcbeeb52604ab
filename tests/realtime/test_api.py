from django.test import Client
from django.urls import reverse
from notifications.signals import notify

from gamification import recognitions as rec
from realtime import events
from realtime.models import CommunityMute, ToastPreference

URL = reverse("api-notifications-unread")


def test_catch_up_returns_own_unread_since_the_bookmark(member, make_user, community, client_for):
    bob = make_user("bob")
    collected = rec.Recognitions()
    for badge in ("First", "Second", "Third"):
        collected.add(rec.BADGE_EARNED, user_id=member.pk, community_id=community.pk, badge=badge)
    collected.add(rec.BADGE_EARNED, user_id=bob.pk, community_id=community.pk, badge="Bobs")
    events.publish_on_commit(collected)
    first, second, third = member.notifications.order_by("id")
    second.mark_as_read()

    response = client_for(member).get(URL, {"after": first.pk})
    assert response.status_code == 200
    body = response.json()
    assert [n["id"] for n in body["results"]] == [third.pk]
    assert body["results"][0] == {
        "id": third.pk,
        "type": "badge.earned",
        "title": "You earned the Third badge",
        "body": "",
        "community_id": community.pk,
        "url": "",
        "unread": True,
        "timestamp": body["results"][0]["timestamp"],
        "toast": True,
    }
    assert body["unread_count"] == 2
    assert len(client_for(member).get(URL).json()["results"]) == 2


def missed(member, community, count: int) -> list[int]:
    collected = rec.Recognitions()
    for n in range(count):
        collected.add(rec.BADGE_EARNED, user_id=member.pk, community_id=community.pk, badge=f"B{n}")
    events.publish_on_commit(collected)
    return list(member.notifications.order_by("id").values_list("id", flat=True))


def test_catch_up_pages_through_everything_missed(member, community, client_for):
    ids = missed(member, community, 250)
    client = client_for(member)
    pages, after = [], ids[0] - 1
    while True:
        body = client.get(URL, {"after": after}).json()
        pages.append([n["id"] for n in body["results"]])
        assert body["unread_count"] == 250
        if not body["has_more"]:
            break
        after = body["next"]
    assert [len(page) for page in pages] == [100, 100, 50]
    assert [i for page in pages for i in page] == ids  # every one, once, oldest first
    assert body["next"] == ids[-1]


def test_catch_up_page_size_and_an_empty_last_page(member, community, client_for):
    ids = missed(member, community, 4)
    client = client_for(member)
    first = client.get(URL, {"after": 0, "limit": 2}).json()
    assert ([n["id"] for n in first["results"]], first["has_more"]) == (ids[:2], True)
    second = client.get(URL, {"after": first["next"], "limit": 2}).json()
    assert ([n["id"] for n in second["results"]], second["has_more"]) == (ids[2:], False)
    last = client.get(URL, {"after": ids[-1]}).json()
    assert (last["results"], last["has_more"], last["next"]) == ([], False, ids[-1])
    for bad in ("0", "101", "x"):
        response = client.get(URL, {"limit": bad})
        assert response.status_code == 400
        assert "limit" in response.json()["errors"]


def test_catch_up_says_which_items_pop_a_toast(member, community, client_for):
    ToastPreference.objects.create(user=member, badges=False)
    collected = rec.Recognitions()
    collected.add(rec.BADGE_EARNED, user_id=member.pk, community_id=community.pk, badge="Quiet")
    collected.add(rec.LEVEL_UP, user_id=member.pk, community_id=community.pk, level=2)
    events.publish_on_commit(collected)
    results = client_for(member).get(URL).json()["results"]
    assert [(n["type"], n["toast"]) for n in results] == [
        ("badge.earned", False),
        ("level.up", True),
    ]
    CommunityMute.objects.create(user=member, community=community)
    assert not any(n["toast"] for n in client_for(member).get(URL).json()["results"])


def test_catch_up_reads_library_notifications_too(member, moderator, client_for):
    notify.send(moderator, recipient=member, verb="gave you kudos", description="Nice one")
    [item] = client_for(member).get(URL).json()["results"]
    assert (item["type"], item["title"], item["body"]) == (
        "notification",
        "gave you kudos",
        "Nice one",
    )


def test_bad_bookmarks_are_a_clear_400(member, client_for):
    client = client_for(member)
    for bad in ("abc", "-1", "1.5", "99999999999999999999999", "<script>"):
        response = client.get(URL, {"after": bad})
        assert response.status_code == 400
        assert set(response.json()) == {"message", "errors"}
        assert "after" in response.json()["errors"]


def test_anonymous_gets_json_not_a_page():
    response = Client().get(URL)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "errors"}


def test_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/notifications/"]["get"]
    assert operation["operationId"] == "notifications_unread_after"
    assert [p["name"] for p in operation["parameters"]] == ["after", "limit"]
