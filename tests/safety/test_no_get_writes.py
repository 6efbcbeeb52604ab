"""No state change on GET: the notifications library's views are not mounted, and every URL
that marks or deletes notifications changes nothing on a GET."""

import pytest
from django.urls import Resolver404, resolve, reverse
from notifications.models import Notification
from notifications.signals import notify

LIBRARY_PATHS = [
    "/inbox/notifications/",
    "/inbox/notifications/mark-all-as-read/",
    "/inbox/notifications/mark-as-read/1/",
    "/inbox/notifications/delete/1/",
    "/inbox/notifications/api/unread_list/?mark_as_read=true",
    "/notifications/mark-all-as-read/",
    "/notifications/delete/1/",
]


@pytest.fixture
def unread(member, moderator):
    notify.send(moderator, recipient=member, verb="gave you kudos")
    return Notification.objects.get(recipient=member)


def test_the_librarys_views_are_not_mounted():
    for path in LIBRARY_PATHS:
        try:
            view = resolve(path.split("?")[0]).func
        except Resolver404:
            continue
        assert not view.__module__.startswith("notifications"), path


def test_get_to_every_mark_or_delete_url_changes_nothing(client_for, member, unread):
    client = client_for(member)
    urls = [
        reverse("realtime:mark_read", args=[unread.pk]),
        reverse("realtime:mark_all_read"),
        *LIBRARY_PATHS,
    ]
    for url in urls:
        assert client.get(url).status_code in {302, 404, 405}, url
    unread.refresh_from_db()
    assert unread.unread and Notification.objects.filter(recipient=member).count() == 1
    # The same mark on POST does change it: the GET above was refused, not broken.
    client.post(reverse("realtime:mark_read", args=[unread.pk]))
    unread.refresh_from_db()
    assert not unread.unread
