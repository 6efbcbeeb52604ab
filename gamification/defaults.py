"""The configuration a new community starts with: rules, caps, levels, privileges, badges."""

from dataclasses import dataclass

from gamification import actions

# Most points per member per community day from actions others could farm for you.
DEFAULT_DAILY_CAPS = {
    actions.REPLY_POSTED: 20,
    actions.HELPFUL_VOTE_RECEIVED: 30,
    actions.PHOTO_UPLOADED: 25,
    actions.TOPIC_CREATED: 25,
    actions.QUESTION_ASKED: 25,
}

# Kinds of contribution the community services ask ``privileges.check`` about.
PRIVILEGE_KINDS = ("topic", "photo", "link", "vote")


@dataclass(frozen=True)
class LevelSpec:
    name: str
    min_points: int
    daily_limits: dict[str, int]


DEFAULT_LEVELS = [
    LevelSpec("Newcomer", 0, {"topic": 3, "photo": 2, "link": 1, "vote": 10}),
    LevelSpec("Regular", 50, {"topic": 10, "photo": 10, "link": 5, "vote": 50}),
    LevelSpec("Contributor", 200, {"photo": 30, "link": 20}),
    LevelSpec("Insider", 500, {}),
    LevelSpec("Ambassador", 1200, {}),
    LevelSpec("Legend", 3000, {}),
]


@dataclass(frozen=True)
class BadgeSpec:
    slug: str
    name: str
    description: str
    icon: str
    criterion: str
    action: str = ""
    bronze: int | None = None
    silver: int | None = None
    gold: int | None = None


DEFAULT_BADGES = [
    BadgeSpec(
        "reviewer",
        "Reviewer",
        "Write product reviews.",
        "✍",
        "action_count",
        actions.REVIEW_WRITTEN,
        1,
        10,
        50,
    ),
    BadgeSpec(
        "photographer",
        "Photographer",
        "Upload photos of the products in use.",
        "◉",
        "action_count",
        actions.PHOTO_UPLOADED,
        1,
        10,
        50,
    ),
    BadgeSpec(
        "problem-solver",
        "Problem solver",
        "Have your answers accepted.",
        "✔",
        "action_count",
        actions.ANSWER_ACCEPTED,
        1,
        10,
        25,
    ),
    BadgeSpec(
        "helpful",
        "Helpful",
        "Receive helpful votes from other members.",
        "♥",
        "action_count",
        actions.HELPFUL_VOTE_RECEIVED,
        5,
        25,
        100,
    ),
    BadgeSpec(
        "conversationalist",
        "Conversationalist",
        "Reply to other members' topics.",
        "✉",
        "action_count",
        actions.REPLY_POSTED,
        5,
        25,
        100,
    ),
    BadgeSpec(
        "rising-star",
        "Rising star",
        "Collect lifetime points.",
        "★",
        "lifetime_points",
        "",
        100,
        1000,
        5000,
    ),
    BadgeSpec(
        "on-fire",
        "On fire",
        "Contribute on consecutive days.",
        "⚡",
        "streak_days",
        "",
        3,
        7,
        30,
    ),
    BadgeSpec(
        "challenger",
        "Challenger",
        "Complete community challenges.",
        "⚑",
        "challenges_completed",
        "",
        1,
        5,
        10,
    ),
    BadgeSpec(
        "community-hero",
        "Community hero",
        "Granted by the team for going above and beyond.",
        "♛",
        "manual",
    ),
]

# Streak lengths worth celebrating with a streak.milestone event.
STREAK_MILESTONES = (3, 7, 14, 30, 60, 100, 365)
