import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from notifications.models import Notification
from notifications.signals import notify

from gamification import recognitions as rec
from realtime import events, services, views
from realtime.models import CommunityMute, ToastPreference
from tests.factories import MembershipFactory

INBOX = reverse("realtime:inbox")
PREFERENCES = reverse("realtime:preferences")


def award_badges(user, community, count, **data):
    collected = rec.Recognitions()
    for number in range(count):
        collected.add(
            rec.BADGE_EARNED, user_id=user.pk, community_id=community.pk, badge=f"B{number}", **data
        )
    events.publish_on_commit(collected)


def test_inbox_needs_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_inbox_paginates_with_flat_queries(
    member, community, client_for, django_assert_max_num_queries
):
    client = client_for(member)
    award_badges(member, community, 3)
    with django_assert_max_num_queries(9) as few:
        client.get(INBOX)
    award_badges(member, community, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    page = response.context["page"]
    assert len(page.object_list) == views.INBOX_PAGE_SIZE
    assert page.paginator.num_pages == 3
    assert response.context["page"][0].data["badge"] == "B39"  # newest first
    second = client.get(INBOX, {"page": 2})
    assert second.context["page"].number == 2
    assert client.get(INBOX, {"page": "nonsense"}).status_code == 200


def test_inbox_escapes_script_payloads_and_drops_unsafe_links(member, community, client_for):
    award_badges(member, community, 1, url="javascript:alert(1)")
    notify.send(member, recipient=member, verb="<script>alert('x')</script>")
    html = client_for(member).get(INBOX).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "javascript:" not in html


def test_inbox_shows_only_own_notifications(member, make_user, moderator, client_for):
    bob = make_user("bob")
    notify.send(moderator, recipient=bob, verb="for bob only")
    assert "for bob only" not in client_for(member).get(INBOX).content.decode()


def test_mark_read_is_post_only_and_for_own_notifications(member, make_user, moderator, client_for):
    bob = make_user("bob")
    notify.send(moderator, recipient=member, verb="mine")
    notify.send(moderator, recipient=bob, verb="bobs")
    mine = member.notifications.get()
    bobs = bob.notifications.get()
    client = client_for(member)

    assert client.get(reverse("realtime:mark_read", args=[mine.pk])).status_code == 405
    response = client.post(reverse("realtime:mark_read", args=[bobs.pk]), follow=True)
    assert services.NOTIFICATION_NOT_FOUND in response.content.decode()
    bobs.refresh_from_db()
    assert bobs.unread

    response = client.post(reverse("realtime:mark_read", args=[mine.pk]), {"page": "2"})
    assert response.url == f"{INBOX}?page=2"
    mine.refresh_from_db()
    assert not mine.unread
    # a double submit changes nothing and fails nothing
    assert client.post(reverse("realtime:mark_read", args=[mine.pk])).status_code == 302


def test_mark_all_read_needs_post_and_csrf(member, make_user, moderator):
    bob = make_user("bob")
    for recipient in (member, member, bob):
        notify.send(moderator, recipient=recipient, verb="hi")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = reverse("realtime:mark_all_read")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert member.notifications.unread().count() == 2

    client.get(INBOX)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert views.ALL_MARKED_READ in response.content.decode()
    assert member.notifications.unread().count() == 0
    assert bob.notifications.unread().count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/inbox/notifications/",
        "/inbox/notifications/unread/",
        "/inbox/notifications/mark-all-as-read/",
        "/inbox/notifications/mark-as-read/{slug}/",
        "/inbox/notifications/delete/{slug}/",
        "/inbox/notifications/api/unread_count/",
        "/inbox/notifications/api/unread_list/?mark_as_read=true",
    ],
)
def test_the_notification_librarys_views_are_not_mounted(path, member, moderator, client_for):
    notify.send(moderator, recipient=member, verb="hi")
    note = member.notifications.get()
    response = client_for(member).get(path.format(slug=note.slug))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.unread
    with pytest.raises(NoReverseMatch):
        reverse("notifications:all")


def test_mark_read_pushes_the_new_count_after_commit(
    member, moderator, client_for, spy_layer, django_capture_on_commit_callbacks
):
    notify.send(moderator, recipient=member, verb="hi")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(reverse("realtime:mark_all_read"))
    assert spy_layer.to(f"user.{member.pk}") == [
        {"type": "notifications.unread", "v": 1, "count": 0}
    ]


def test_preferences_page_saves_toasts_and_mutes(member, community, make_community, client_for):
    other = make_community("trail")
    MembershipFactory(user=member, community=other)
    client = client_for(member)
    page = client.get(PREFERENCES)
    assert page.status_code == 200
    assert page.context["form"]["points"].value() is True

    response = client.post(PREFERENCES, {"badges": "on", "kudos": "on", "muted": [other.pk]})
    assert response.status_code == 302
    preference = ToastPreference.objects.get(user=member)
    assert (preference.badges, preference.kudos, preference.points) == (True, True, False)
    assert list(CommunityMute.objects.filter(user=member).values_list("community", flat=True)) == [
        other.pk
    ]
    assert views.PREFERENCES_SAVED in client.get(PREFERENCES).content.decode()

    client.post(PREFERENCES, {"badges": "on"})  # unmute everything, twice is fine
    client.post(PREFERENCES, {"badges": "on"})
    assert not CommunityMute.objects.filter(user=member).exists()


@pytest.mark.parametrize("bad", ["999999", "abc", "<script>"])
def test_preferences_refuse_communities_the_member_is_not_in(
    member, make_community, client_for, bad
):
    outside = make_community("elsewhere")
    client = client_for(member)
    for value in (str(outside.pk), bad):
        response = client.post(PREFERENCES, {"points": "on", "muted": [value]})
        assert response.status_code == 200
        assert response.context["form"].errors["muted"]
    assert not CommunityMute.objects.exists()
    assert not ToastPreference.objects.exists()


def test_mute_service_refuses_a_community_the_member_left(member, make_community):
    outside = make_community("elsewhere")
    with pytest.raises(services.NotificationError, match=services.NOT_YOUR_COMMUNITY):
        services.set_muted_communities(user=member, communities=[outside])


def test_the_bell_and_scripts_are_on_every_page(member, client_for):
    notify.send(member, recipient=member, verb="hello")
    html = client_for(member).get(reverse("home")).content.decode()
    assert 'aria-label="Notifications, 1 unread"' in html
    assert 'src="/static/js/realtime.js" defer' in html
    assert "<script>" not in html  # no inline scripts


def test_community_pages_name_their_socket(member, community, client_for):
    html = client_for(member).get(community.get_absolute_url()).content.decode()
    assert f'data-community="{community.slug}"' in html


def test_notifications_are_deleted_with_their_member(member, moderator):
    notify.send(moderator, recipient=member, verb="hi")
    member.delete()
    assert not Notification.objects.exists()


def test_operators_see_preferences_in_the_admin(make_user, member, client_for):
    ToastPreference.objects.create(user=member, points=False)
    admin_user = make_user("root", is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    listing = client.get(reverse("admin:realtime_toastpreference_changelist"))
    assert listing.status_code == 200
    assert "alice" in listing.content.decode()
    assert client.get(reverse("admin:realtime_communitymute_changelist")).status_code == 200
