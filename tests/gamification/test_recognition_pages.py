import pytest
from django.urls import reverse
from django.utils.html import escape

from community.services import recognition
from gamification import actions, awards, corrections, setup
from gamification.models import Badge, BadgeAward, Kudos, LedgerEntry, Score
from tests.factories import MembershipFactory


@pytest.fixture
def hero(community):
    setup.ensure_defaults(community)
    return Badge.objects.get(community=community, slug="community-hero")


def _url(name, community, *args):
    return reverse(f"gamification:{name}", args=[community.slug, *args])


class TestKudosPage:
    def test_moderator_gives_kudos_with_points_and_badge(
        self, client_for, moderator, member, community, hero
    ):
        response = client_for(moderator).post(
            _url("give_kudos", community),
            {
                "recipient": "Alice",
                "message": "Great photo guide",
                "points": "30",
                "badge": hero.pk,
                "next": f"/c/{community.slug}/progress/alice/",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/c/{community.slug}/progress/alice/"
        kudos = Kudos.objects.get()
        assert (kudos.recipient, kudos.points, kudos.badge_award.badge) == (member, 30, hero)
        assert Score.objects.get(member=member).lifetime == 30
        assert LedgerEntry.objects.get().actor == moderator

    def test_double_submit_gives_kudos_once(self, client_for, moderator, member, community, hero):
        client = client_for(moderator)
        form = client.get(_url("give_kudos", community), {"to": "alice"})
        token = form.context["form"].initial["token"]
        assert 'value="alice"' in form.content.decode()
        data = {"recipient": "alice", "message": "Thanks", "points": "5", "token": token}
        client.post(_url("give_kudos", community), data)
        client.post(_url("give_kudos", community), data)
        assert Kudos.objects.count() == 1
        assert Score.objects.get(member=member).lifetime == 5

    def test_members_cannot_give_kudos(self, client_for, member, community, hero):
        assert client_for(member).get(_url("give_kudos", community)).status_code == 403
        response = client_for(member).post(
            _url("give_kudos", community), {"recipient": "alice", "message": "me!"}
        )
        assert response.status_code == 403
        assert not Kudos.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"recipient": "ghost", "message": "hi"}, "ghost is not a member of this community."),
            ({"recipient": "morgan", "message": "hi"}, recognition.NO_SELF_KUDOS),
            ({"recipient": "alice", "message": "hi", "points": "500"}, "less than or equal to 100"),
            ({"recipient": "alice", "message": "", "points": "5"}, "This field is required."),
            ({"recipient": "alice", "message": "hi", "points": "ten"}, "Enter a whole number."),
        ],
    )
    def test_bad_input_is_a_form_error(
        self, client_for, moderator, member, community, hero, data, message
    ):
        response = client_for(moderator).post(_url("give_kudos", community), data)
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not Kudos.objects.exists() and not LedgerEntry.objects.exists()

    def test_script_in_message_is_escaped_in_the_feed(
        self, client_for, moderator, member, community, hero
    ):
        client_for(moderator).post(
            _url("give_kudos", community),
            {"recipient": "alice", "message": "<script>alert(1)</script>"},
        )
        body = client_for(member).get(_url("feed", community)).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    def test_offsite_next_is_ignored(self, client_for, moderator, member, community, hero):
        response = client_for(moderator).post(
            _url("give_kudos", community),
            {"recipient": "alice", "message": "Thanks", "next": "https://evil.example/"},
        )
        assert response["Location"] == _url("feed", community)


class TestRevoke:
    def test_revoking_kudos_reverses_points_and_keeps_the_record(
        self, client_for, moderator, member, community, hero
    ):
        kudos = recognition.give_kudos(
            giver=moderator,
            community=community,
            recipient_username="alice",
            message="Thanks",
            points=20,
            badge=hero,
        )
        client = client_for(moderator)
        client.post(_url("revoke_kudos", community, kudos.pk), {"reason": "Wrong member"})
        kudos.refresh_from_db()
        assert kudos.revoke_reason == "Wrong member" and kudos.revoked_by == moderator
        assert kudos.badge_award.revoked_at is not None
        assert Score.objects.get(member=member).lifetime == 0
        reversal = LedgerEntry.objects.get(reverses__isnull=False)
        assert reversal.reason == "Kudos revoked: Wrong member"
        response = client.post(
            _url("revoke_kudos", community, kudos.pk), {"reason": "again"}, follow=True
        )
        assert escape(recognition.ALREADY_REVOKED) in response.content.decode()
        assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 1
        feed = client.get(_url("feed", community)).content.decode()
        assert "Revoked" in feed and "Wrong member" in feed

    def test_revoke_needs_a_reason_and_staff(self, client_for, moderator, member, community, hero):
        kudos = recognition.give_kudos(
            giver=moderator, community=community, recipient_username="alice", message="Thanks"
        )
        response = client_for(moderator).post(
            _url("revoke_kudos", community, kudos.pk), {"reason": ""}, follow=True
        )
        assert escape(recognition.REASON_REQUIRED) in response.content.decode()
        response = client_for(member).post(
            _url("revoke_kudos", community, kudos.pk), {"reason": "mine now"}
        )
        assert response.status_code == 403
        assert Kudos.objects.get().revoked_at is None

    def test_someone_elses_community_objects_are_404(
        self, client_for, moderator, member, community, hero, make_community, make_user
    ):

        other = make_community("other")
        other_mod = make_user("othermod")
        MembershipFactory(user=other_mod, community=other, role="moderator")
        kudos = recognition.give_kudos(
            giver=moderator, community=community, recipient_username="alice", message="Thanks"
        )
        response = client_for(other_mod).post(
            _url("revoke_kudos", other, kudos.pk), {"reason": "sneaky"}
        )
        assert response.status_code == 404
        assert Kudos.objects.get().revoked_at is None


class TestBulkGrant:
    def test_pick_and_paste(self, client_for, moderator, member, community, hero, make_member):
        make_member("bob")
        make_member("cy")
        response = client_for(moderator).post(
            _url("grant_badge", community),
            {"badge": hero.pk, "members": ["alice"], "usernames": "@Bob, cy\n", "reason": "Meetup"},
        )
        assert response.status_code == 302
        assert set(BadgeAward.objects.values_list("member__username", flat=True)) == {
            "alice",
            "bob",
            "cy",
        }

    def test_nobody_picked_or_unknown_names(self, client_for, moderator, member, community, hero):
        from gamification.forms import NO_RECIPIENTS

        client = client_for(moderator)
        body = client.post(
            _url("grant_badge", community), {"badge": hero.pk, "reason": "x"}
        ).content.decode()
        assert escape(NO_RECIPIENTS) in body
        body = client.post(
            _url("grant_badge", community),
            {"badge": hero.pk, "usernames": "alice nobody", "reason": "x"},
        ).content.decode()
        assert "nobody is not a member of this community." in body
        assert not BadgeAward.objects.exists()

    def test_automatic_badges_are_not_offered(self, client_for, moderator, community, hero):
        auto = Badge.objects.get(community=community, slug="reviewer")
        response = client_for(moderator).post(
            _url("grant_badge", community),
            {"badge": auto.pk, "usernames": "alice", "reason": "x"},
        )
        assert "Select a valid choice" in response.content.decode()


class TestMemberPages:
    def test_ledger_shows_reasons_including_reversals(
        self, client_for, member, community, make_obj
    ):
        post = make_obj()
        awards.record_action(member, community, actions.TOPIC_CREATED, post)
        corrections.reverse_for_object(post, reason="off-topic")
        body = client_for(member).get(_url("ledger", community)).content.decode()
        assert "Started a topic" in body
        assert "Reversed: Started a topic (off-topic)" in body
        assert "-5" in body

    def test_ledger_needs_login(self, client, community):
        assert client.get(_url("ledger", community)).status_code == 302

    def test_how_points_work_is_generated_from_rules(self, client, community):
        from gamification.models import PointRule

        setup.ensure_defaults(community)
        PointRule.objects.filter(community=community, action=actions.REVIEW_WRITTEN).update(
            points=42
        )
        body = client.get(_url("how", community)).content.decode()
        assert "Wrote a review" in body and "+42" in body
        assert "Legend" in body and "Photographer" in body and "Europe" not in body

    def test_old_progress_links_land_on_the_profile(self, client, member, community):
        response = client.get(_url("progress", community, "alice"))
        assert response["Location"] == reverse("community:member", args=[community.slug, "alice"])

    def test_progress_page_of_a_non_member_is_404(self, client, community, make_user):
        make_user("stranger")
        assert (
            client.get(reverse("community:member", args=[community.slug, "stranger"])).status_code
            == 404
        )

    def test_progress_page_query_count_is_flat(
        self, client_for, member, community, make_obj, make_member, django_assert_max_num_queries
    ):
        client = client_for(member)
        url = reverse("community:member", args=[community.slug, "alice"])
        awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
        client.get(url)
        with django_assert_max_num_queries(30) as small:
            client.get(url)
        for i in range(15):
            other = make_member(f"m{i}")
            awards.record_action(other, community, actions.PHOTO_UPLOADED, make_obj())
            awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url)
        body = response.content.decode()
        assert "Silver" in body and "<progress" in body

    def test_moderator_sees_give_kudos_on_a_profile(self, client_for, moderator, member, community):
        body = (
            client_for(moderator)
            .get(reverse("community:member", args=[community.slug, "alice"]))
            .content.decode()
        )
        assert "Give kudos" in body
        assert (
            "Give kudos"
            not in client_for(member)
            .get(reverse("community:member", args=[community.slug, "alice"]))
            .content.decode()
        )
