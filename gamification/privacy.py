"""A member's points, badges and kudos in the data export and on account deletion, and their
choice to appear on public leaderboards (see ``accounts.privacy``; registered from
``GamificationConfig.ready()``).

``leaderboard_choices`` and ``save_leaderboard_choices`` serve the privacy page
(``accounts.views``), which composes them with accounts' own settings.
"""

from collections.abc import Iterator

from accounts.models import User
from accounts.privacy import CHUNK, Attach, Entry, Erasure, Part, listing
from gamification import preferences
from gamification.models import BadgeAward, Kudos, LedgerEntry, Level, Score
from tenancy.models import Membership

# --- The leaderboard choice -----------------------------------------------------------------


def leaderboard_choices(user: User) -> list[dict]:
    """The member's communities with their public-leaderboard choice (default: shown)."""
    public = dict(Score.objects.filter(member=user).values_list("community_id", "public"))
    memberships = (
        Membership.objects.filter(user=user).select_related("community").order_by("community__name")
    )
    return [
        {"community": m.community, "public": public.get(m.community_id, True)} for m in memberships
    ]


def save_leaderboard_choices(*, user: User, public: dict[int, bool]) -> None:
    """Save "show me on public leaderboards and the recognition feed", per community.

    ``public`` maps community ids to the choice; only communities the member belongs to are
    considered, and only changes are written (each through the engine, which refreshes open
    leaderboards after commit). Call it inside a transaction.
    """
    current = dict(Score.objects.filter(member=user).values_list("community_id", "public"))
    for membership in Membership.objects.filter(user=user, community_id__in=public).select_related(
        "community"
    ):
        wanted = public[membership.community_id]
        if current.get(membership.community_id, True) != wanted:
            preferences.set_leaderboard_visibility(
                member=user, community=membership.community, public=wanted
            )


def _choices(user: User) -> dict:
    return {
        "public_leaderboards": {
            row["community"].slug: row["public"] for row in leaderboard_choices(user)
        }
    }


# --- Export ---------------------------------------------------------------------------------


def _scores(user: User, attach: Attach) -> Iterator[dict]:
    levels: dict[int, list[tuple[int, str]]] = {}
    for level in Level.objects.filter(
        community_id__in=Score.objects.filter(member=user).values("community_id")
    ).values("community_id", "min_points", "name"):
        levels.setdefault(level["community_id"], []).append((level["min_points"], level["name"]))
    scores = Score.objects.filter(member=user).select_related("community").order_by("pk")
    for score in scores.iterator(chunk_size=CHUNK):
        steps = sorted(levels.get(score.community_id, []))
        reached = [name for floor, name in steps if floor <= score.lifetime]
        yield {
            "community": score.community.slug,
            "lifetime_points": score.lifetime,
            "balance": score.balance,
            "pending": score.pending,
            "last_activity": score.active_at,
            "level": reached[-1] if reached else "",
            "current_streak": score.current_streak,
            "longest_streak": score.longest_streak,
            "last_active_day": score.last_active_day,
            "on_public_leaderboards": score.public,
        }


KUDOS_FIELDS = ("community__slug", "message", "points", "created_at", "revoked_at")


# --- Erasure --------------------------------------------------------------------------------


def _erase(user: User, erasure: Erasure) -> None:
    """Off every public board; the ledger rows stay, pseudonymised through the User row."""
    for score in Score.objects.filter(member=user, public=True).select_related("community"):
        preferences.set_leaderboard_visibility(member=user, community=score.community, public=False)


PART = Part(
    name="gamification",
    entries=(
        Entry(
            100,
            "ledger.json",
            "every points row: awards, reversals and spending, per community",
            listing(
                lambda user: LedgerEntry.objects.filter(member=user).order_by("pk"),
                "id",
                "community__slug",
                "action",
                "points",
                "reason",
                "reverses_id",
                "created_at",
            ),
        ),
        Entry(
            110,
            "scores.json",
            "your points, balance, level and streaks per community",
            _scores,
        ),
        Entry(
            120,
            "badges.json",
            "badges you earned, with who granted a manual badge and why",
            listing(
                lambda user: BadgeAward.objects.filter(member=user).order_by("pk"),
                "community__slug",
                "badge__name",
                "tier",
                "granted_by__username",
                "reason",
                "created_at",
                "revoked_at",
                "revoke_reason",
            ),
        ),
        Entry(
            130,
            "kudos_received.json",
            "kudos moderators gave you",
            listing(
                lambda user: Kudos.objects.filter(recipient=user).order_by("pk"),
                "giver__username",
                *KUDOS_FIELDS,
            ),
        ),
        Entry(
            140,
            "kudos_given.json",
            "kudos you gave other members (as a moderator)",
            listing(
                lambda user: Kudos.objects.filter(giver=user).order_by("pk"),
                "recipient__username",
                *KUDOS_FIELDS,
            ),
        ),
    ),
    choices=_choices,
    erase=_erase,
    erase_order=20,
)
