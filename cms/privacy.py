"""A member's challenge progress in the data export (see ``accounts.privacy``; registered from
``CmsConfig.ready()``). On deletion the progress rows stay, pseudonymised through the User row,
like the ledger they are counted from."""

from accounts.privacy import Entry, Part, listing
from cms.models import ChallengeProgress

PART = Part(
    name="cms",
    entries=(
        Entry(
            150,
            "challenges.json",
            "your progress in challenges",
            listing(
                lambda user: ChallengeProgress.objects.filter(member=user).order_by("pk"),
                "challenge__title",
                "count",
                "joined_at",
                "completed_at",
                "finish_rank",
            ),
        ),
    ),
)
