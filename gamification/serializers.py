"""Input and output shapes of the engine's JSON API."""

from rest_framework import serializers

from community.services.recognition import MAX_KUDOS_POINTS
from gamification.selectors import leaderboard


class LeaderboardQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(leaderboard.PERIODS), default=leaderboard.WEEK)
    limit = serializers.IntegerField(
        min_value=1, max_value=leaderboard.BOARD_SIZE, default=leaderboard.BOARD_SIZE
    )


class BoardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    username = serializers.CharField()
    points = serializers.IntegerField()
    level = serializers.CharField()


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    points = serializers.IntegerField()
    gap_to_next = serializers.IntegerField(
        allow_null=True, help_text="Points between you and the rank just above; null at the top."
    )


class LeaderboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    entries = BoardEntrySerializer(many=True)
    me = StandingSerializer(allow_null=True, help_text="Null for anonymous readers.")


class LevelSerializer(serializers.Serializer):
    name = serializers.CharField()
    next_name = serializers.CharField(allow_null=True)
    points_to_next = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()


class BadgeProgressSerializer(serializers.Serializer):
    slug = serializers.CharField(source="badge.slug")
    name = serializers.CharField(source="badge.name")
    criterion = serializers.CharField(source="badge.criterion")
    tier = serializers.CharField(source="tier_label")
    earned = serializers.BooleanField()
    value = serializers.IntegerField()
    next_threshold = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()
    rarity = serializers.IntegerField(help_text="Share of members holding it, in percent.")


class StreakSerializer(serializers.Serializer):
    current = serializers.IntegerField()
    longest = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    """A member's progress in a community (``member_progress``). Absent for outsiders when the
    member shows activity to members only; balance and pending only for the member themself and
    the community's staff (``tenancy.access.sees_activity`` / ``sees_balance``)."""

    #: Shown only to the member and the community's staff.
    PRIVATE_FIELDS = ("balance", "pending")

    points = serializers.IntegerField(source="lifetime", required=False)
    balance = serializers.IntegerField(required=False)
    pending = serializers.IntegerField(
        required=False, help_text="Earned but not yet spendable (held points)."
    )
    level = LevelSerializer(required=False)
    badges = BadgeProgressSerializer(many=True, required=False)
    streak = StreakSerializer(required=False)


class MemberProgressSerializer(ProgressSerializer):
    """The member API's answer: the profile card, then whatever progress the reader may see."""

    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    bio = serializers.CharField(allow_blank=True)


class LedgerQuerySerializer(serializers.Serializer):
    community = serializers.SlugField()


class LedgerEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    reason = serializers.CharField(help_text="What the member reads next to the row.")
    points = serializers.IntegerField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    created_at = serializers.DateTimeField()


class KudosInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    message = serializers.CharField(max_length=500)
    points = serializers.IntegerField(min_value=0, max_value=MAX_KUDOS_POINTS, required=False)
    badge = serializers.SlugField(required=False, help_text="Slug of a manual badge to grant.")


class KudosOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="recipient.username")
    message = serializers.CharField()
    points = serializers.IntegerField()
    badge = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_badge(self, kudos) -> str | None:
        return kudos.badge_award.badge.slug if kudos.badge_award_id else None
