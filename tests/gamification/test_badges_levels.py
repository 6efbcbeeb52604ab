import pytest

from community.services import recognition
from core import errors
from gamification import actions, awards, corrections, setup
from gamification.models import Badge, BadgeAward, Tier
from gamification.recognitions import BADGE_EARNED, LEVEL_UP
from gamification.selectors.progress import level_progress, member_progress
from tenancy import access
from tenancy.models import Membership
from tests.gamification.conftest import at


def _tiers(member, slug):
    return sorted(
        BadgeAward.objects.filter(member=member, badge__slug=slug).values_list("tier", flat=True)
    )


def test_review_badge_tiers_are_awarded_once_each(member, community, make_obj):
    earned = []
    for _ in range(11):
        recognitions = awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
        earned += [e for e in recognitions.of_type(BADGE_EARNED) if e["badge"] == "reviewer"]
    assert [e["tier"] for e in earned] == ["Bronze", "Silver"]
    assert _tiers(member, "reviewer") == [Tier.BRONZE, Tier.SILVER]


def test_reversal_and_restore_do_not_award_a_tier_twice(member, community, make_obj):
    review = make_obj()
    awards.record_action(member, community, actions.REVIEW_WRITTEN, review)
    corrections.reverse_for_object(review, reason="hidden")
    corrections.restore_for_object(review, reason="restored")
    assert _tiers(member, "reviewer") == [Tier.BRONZE]


def test_lifetime_points_badge_and_level_up(member, community, award):
    events = []
    for day in range(1, 7):
        events += award(
            member, community, actions.CHALLENGE_COMPLETED, at=at(f"2026-03-0{day}T10:00")
        ).events
    # 6 challenges x 25 = 150 points: Regular (50) and Rising star bronze (100).
    assert [e["level"] for e in events if e["type"] == LEVEL_UP] == ["Regular"]
    assert _tiers(member, "rising-star") == [Tier.BRONZE]
    assert _tiers(member, "challenger") == [Tier.BRONZE, Tier.SILVER]


def test_streak_badge_from_consecutive_days(member, community, award):
    for day in range(1, 4):
        award(member, community, actions.REPLY_POSTED, at=at(f"2026-03-0{day}T12:00"))
    assert _tiers(member, "on-fire") == [Tier.BRONZE]


def test_challenge_completion_is_once_per_challenge(member, community, make_obj):
    challenge = make_obj()
    awards.record_action(member, community, actions.CHALLENGE_COMPLETED, challenge)
    awards.record_action(member, community, actions.CHALLENGE_COMPLETED, challenge)
    assert _tiers(member, "challenger") == [Tier.BRONZE]


def test_progress_shows_next_tier_and_rarity(member, community, make_obj, make_member):
    make_member("bob")
    for _ in range(3):
        awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    progress = member_progress(member, community)
    reviewer = next(b for b in progress.badges if b.badge.slug == "reviewer")
    assert (reviewer.tier_label, reviewer.value, reviewer.next_threshold) == ("Bronze", 3, 10)
    assert reviewer.percent == 30
    assert reviewer.rarity == 50  # one of two members holds it
    assert progress.level.name == "Newcomer"
    assert progress.level.points_to_next == 50 - progress.lifetime


def test_level_progress_math():
    from gamification.models import Level

    levels = [Level(name="A", min_points=0), Level(name="B", min_points=100)]
    assert level_progress(levels, 25).percent == 25
    assert level_progress(levels, 25).points_to_next == 75
    top = level_progress(levels, 150)
    assert (top.name, top.next_name, top.percent) == ("B", None, 100)


def test_badge_thresholds_must_ascend(community):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Badge.objects.create(
            community=community,
            slug="bad",
            name="Bad",
            description="",
            criterion="action_count",
            action=actions.REVIEW_WRITTEN,
            bronze=10,
            silver=5,
        )


class TestManualBadges:
    @pytest.fixture
    def hero(self, community):
        setup.ensure_defaults(community)
        return Badge.objects.get(community=community, slug="community-hero")

    def test_bulk_grant_skips_holders_and_is_case_insensitive(
        self, community, moderator, member, make_member, hero
    ):
        bob = make_member("bob")
        granted = recognition.grant_badge(
            granted_by=moderator,
            community=community,
            badge=hero,
            usernames=["ALICE", "bob"],
            reason="Meetup helpers",
        )
        assert {a.member for a in granted} == {member, bob}
        again = recognition.grant_badge(
            granted_by=moderator,
            community=community,
            badge=hero,
            usernames=["alice"],
            reason="Double submit",
        )
        assert again == []
        assert BadgeAward.objects.filter(badge=hero).count() == 2

    def test_unknown_usernames_grant_nothing(self, community, moderator, member, hero):
        with pytest.raises(errors.AppError) as exc:
            recognition.grant_badge(
                granted_by=moderator,
                community=community,
                badge=hero,
                usernames=["alice", "ghost"],
                reason="x",
            )
        assert str(exc.value) == recognition.NOT_A_MEMBER.format(username="ghost")
        assert not BadgeAward.objects.exists()

    def test_only_staff_grant_and_only_manual_badges(self, community, moderator, member, hero):
        with pytest.raises(errors.AppError, match=access.STAFF_ONLY):
            recognition.grant_badge(
                granted_by=member, community=community, badge=hero, usernames=["alice"], reason="x"
            )
        auto = Badge.objects.get(community=community, slug="reviewer")
        with pytest.raises(errors.AppError, match=recognition.BADGE_NOT_MANUAL):
            recognition.grant_badge(
                granted_by=moderator,
                community=community,
                badge=auto,
                usernames=["alice"],
                reason="x",
            )

    def test_revoke_keeps_the_record_and_allows_a_new_grant(
        self, community, moderator, member, hero
    ):
        (award,) = recognition.grant_badge(
            granted_by=moderator, community=community, badge=hero, usernames=["alice"], reason="x"
        )
        recognition.revoke_badge_award(award=award, by=moderator, reason="Granted by mistake")
        award.refresh_from_db()
        assert award.revoked_by == moderator and award.revoke_reason == "Granted by mistake"
        with pytest.raises(errors.AppError, match=recognition.ALREADY_REVOKED):
            recognition.revoke_badge_award(award=award, by=moderator, reason="again")
        with pytest.raises(errors.AppError, match=recognition.REASON_REQUIRED):
            recognition.revoke_badge_award(award=award, by=moderator, reason="  ")
        recognition.grant_badge(
            granted_by=moderator, community=community, badge=hero, usernames=["alice"], reason="y"
        )
        assert BadgeAward.objects.filter(badge=hero).count() == 2


def test_brand_manager_counts_as_staff(community, make_member, member):
    manager = make_member("bree", role=Membership.Role.BRAND_MANAGER)
    kudos = recognition.give_kudos(
        giver=manager, community=community, recipient_username="alice", message="Thanks!"
    )
    assert kudos.points == 10
