"""Every event type the sockets carry, and how each reads to a member.

Recognition events come from ``gamification.recognitions`` (``type``, ``v``, ``user_id``,
``community_id`` plus the fields below, all optional). The wording is built here, on the server,
so the browser only ever inserts plain text (``textContent``).

Fields read, when present: ``points``, ``action`` (points.awarded); ``badge``, ``tier``
(badge.earned); ``level``, ``level_name`` (level.up); ``days`` (streak.milestone); ``points``,
``message``, ``actor_id`` (kudos.received); ``challenge``, ``progress``, ``target``
(challenge.progress / challenge.completed); ``points``, ``bonus`` (challenge.completed);
``reward``, ``cost``, ``code`` (reward.redeemed); ``what``, ``community``, ``points``
(welcome.earned); ``friend``, ``community`` (referral.paid); ``spendable_from`` (points.awarded,
when the points are pending); ``points``, ``community`` (points.released, points.expired);
``points``, ``expires_at``, ``months``, ``community`` (points.expiring); ``message``
(moderation.alert, moderation.report); ``what``, ``reason``, ``community`` (content.hidden,
content.restored); ``opted_out`` (never on the public feed); ``url`` (where the toast and inbox
link to).

Social events (reply.received, mention.received, answer.accepted) carry ``actor`` (who did it,
a username), ``actor_id``, ``topic`` (its title), ``topic_id``, ``post_id``, ``community`` (its
name) and ``answer`` (the reply answers the recipient's question). Their stored
verb is the type itself, which the e-mail side selects on. A reply carries ``collapse`` (one key
per topic): while the recipient's item for that key is unread, the publisher updates it and
counts the replies (``count``) instead of storing another.
"""

from datetime import datetime

from gamification import recognitions as rec

VERSION = 1

REWARD_REDEEMED = "reward.redeemed"
CHALLENGE_ENDING = "challenge.ending"
SYSTEM_TEST = "system.test"
CHALLENGE_PUBLISHED = "challenge.published"
ANNOUNCEMENT_PUBLISHED = "announcement.published"
LEADERBOARD_CHANGED = "leaderboard.changed"
# To a community's moderators: an automatic check did something they should look at.
MODERATION_ALERT = "moderation.alert"
# To a community's moderators: a member reported an item, or an author asks for a review.
MODERATION_REPORT = "moderation.report"
# To an author: a moderator hid or restored their item (``what``, ``reason``).
CONTENT_HIDDEN = "content.hidden"
CONTENT_RESTORED = "content.restored"
FEED_RECOGNITION = "feed.recognition"
UNREAD_COUNT = "notifications.unread"
PONG = "pong"
ERROR = "error"
REPLY_RECEIVED = "reply.received"
MENTION_RECEIVED = "mention.received"
ANSWER_ACCEPTED = "answer.accepted"
# Someone replied to, mentioned or accepted the answer of the recipient: the stored verb is the
# type (what notification e-mail selects on); the wording is in ``title``.
SOCIAL_TYPES = frozenset({REPLY_RECEIVED, MENTION_RECEIVED, ANSWER_ACCEPTED})

# Recognition type -> the ToastPreference field that lets it pop a toast.
RECOGNITION_TOAST_FIELDS = {
    rec.POINTS_AWARDED: "points",
    rec.BADGE_EARNED: "badges",
    rec.LEVEL_UP: "levels",
    rec.STREAK_MILESTONE: "streaks",
    rec.KUDOS_RECEIVED: "kudos",
    rec.CHALLENGE_PROGRESS: "challenges",
    rec.CHALLENGE_COMPLETED: "challenges",
    CHALLENGE_ENDING: "challenges",
    REWARD_REDEEMED: "rewards",
    rec.WELCOME: "points",
    rec.REFERRAL_PAID: "points",
    rec.POINTS_RELEASED: "points",
    rec.POINTS_EXPIRING: "points",
    rec.POINTS_EXPIRED: "points",
}
RECOGNITION_TYPES = frozenset(RECOGNITION_TOAST_FIELDS)

# Recognitions shown to everyone watching the community (unless the member opted out).
PUBLIC_FEED_TYPES = frozenset({rec.BADGE_EARNED, rec.KUDOS_RECEIVED, rec.LEVEL_UP})

# Community news: sent to the community's page sockets and to its members' own sockets.
COMMUNITY_NEWS_TYPES = frozenset({CHALLENGE_PUBLISHED, ANNOUNCEMENT_PUBLISHED})


def _plural(count, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def verb(event: dict) -> str:
    """The notification's verb: what happened to the recipient, in a few words."""
    kind = event["type"]
    if kind == rec.POINTS_AWARDED:
        return f"earned {_plural(event.get('points', 0), 'point')}"
    if kind == rec.BADGE_EARNED:
        tier = event.get("tier")
        badge = event.get("badge", "a badge")
        return f"earned the {tier} {badge} badge" if tier else f"earned the {badge} badge"
    if kind == rec.LEVEL_UP:
        name = event.get("level_name")
        level = event.get("level", "")
        return f"reached level {level}: {name}" if name else f"reached level {level}".strip()
    if kind == rec.STREAK_MILESTONE:
        return f"kept a {_plural(event.get('days', 0), 'day')} streak"
    if kind == rec.KUDOS_RECEIVED:
        return "received kudos"
    if kind == rec.CHALLENGE_PROGRESS:
        return f"made progress in {event.get('challenge', 'a challenge')}"
    if kind == rec.CHALLENGE_COMPLETED:
        return f"completed {event.get('challenge', 'a challenge')}"
    if kind == CHALLENGE_ENDING:
        return f"are close: {event.get('challenge', 'a challenge')} ends soon"
    if kind == REWARD_REDEEMED:
        return f"redeemed {event.get('reward', 'a reward')}"
    if kind == rec.WELCOME:
        return f"earned a welcome bonus for {event.get('what', 'a first step')}"
    if kind == rec.REFERRAL_PAID:
        return f"earned a referral bonus: {event.get('friend', 'a friend')} joined in"
    if kind == rec.POINTS_RELEASED:
        return f"can now spend {_plural(event.get('points', 0), 'more point')}"
    if kind == rec.POINTS_EXPIRING:
        return f"have {_plural(event.get('points', 0), 'point')} that expire soon"
    if kind == rec.POINTS_EXPIRED:
        return f"lost {_plural(event.get('points', 0), 'unspent point')} to expiry"
    if kind == SYSTEM_TEST:
        return "received a test notification"
    if kind == MODERATION_ALERT:
        return "have a moderation note to review"
    if kind == MODERATION_REPORT:
        return "have a new report to review"
    if kind == CONTENT_HIDDEN:
        return f"had your {event.get('what', 'post')} hidden by a moderator"
    if kind == CONTENT_RESTORED:
        return f"had your {event.get('what', 'post')} restored by a moderator"
    return kind  # the social types, and any type without wording of its own


def _day(moment: str | None) -> str:
    """``2026-12-02T10:00:00+00:00`` -> ``2 Dec 2026`` (UTC day; empty if missing or bad)."""
    try:
        return f"{datetime.fromisoformat(moment):%-d %b %Y}" if moment else ""
    except ValueError:
        return ""


def title(event: dict) -> str:
    """A toast's first line, addressed to the recipient."""
    if event["type"] in SOCIAL_TYPES:
        return _social_title(event)
    return f"You {verb(event)}"


def _social_title(event: dict) -> str:
    kind, actor = event["type"], event.get("actor", "Someone")
    topic = f"\u201c{event.get('topic', 'a topic')}\u201d"
    if kind == REPLY_RECEIVED:
        count = event.get("count", 1)
        if count > 1:
            return f"{count} new replies in {topic}"
        if event.get("answer"):
            return f"{actor} answered your question {topic}"
        return f"{actor} replied in {topic}"
    if kind == MENTION_RECEIVED:
        return f"{actor} mentioned you in {topic}"
    return f"Your answer in {topic} was accepted"


def collapse(previous: dict, event: dict) -> dict:
    """The stored item for ``previous`` (unread, same ``collapse`` key) after ``event`` too:
    counted, worded again, and still linking to the first reply the member has not read."""
    merged = {**event, "count": previous.get("count", 1) + 1}
    if previous.get("url"):
        merged["url"] = previous["url"]
    return {**merged, "title": title(merged), "body": body(merged)}


def body(event: dict) -> str:
    """A toast's second line: the detail that makes it personal."""
    kind = event["type"]
    if kind == rec.KUDOS_RECEIVED:
        message = event.get("message", "")
        points = event.get("points")
        return f"{message} (+{points} points)" if points and message else message
    if kind == rec.CHALLENGE_PROGRESS and "progress" in event and "target" in event:
        return f"{event['progress']} of {event['target']} done"
    if kind == rec.CHALLENGE_COMPLETED and event.get("points") is not None:
        bonus = event.get("bonus") or 0
        earned = f"+{_plural(event['points'] + bonus, 'point')}"
        return f"{earned}, first-finisher bonus included" if bonus else earned
    if kind == rec.POINTS_AWARDED and event.get("action"):
        what = f"For {event['action'].replace('.', ' ').replace('_', ' ')}"
        until = _day(event.get("spendable_from"))
        return f"{what} · spendable from {until}" if until else what
    if kind == rec.POINTS_RELEASED:
        return f"Your points from reviews and photos in {event.get('community', '')} are ready."
    if kind == rec.POINTS_EXPIRING:
        when = _day(event.get("expires_at")) or "soon"
        return (
            f"Earn or spend any points in {event.get('community', 'the community')} before "
            f"{when} to keep them."
        )
    if kind == rec.POINTS_EXPIRED:
        months = event.get("months")
        quiet = f" after {months} quiet months" if months else ""
        return f"Unspent points in {event.get('community', 'the community')} expire{quiet}."
    if kind == REWARD_REDEEMED and event.get("cost"):
        spent = f"{_plural(event['cost'], 'point')} spent"
        return f"{spent} · your code: {event['code']}" if event.get("code") else spent
    if kind == rec.WELCOME:
        thanks = f"Thank you for {event.get('what', 'joining in')} in {event.get('community', '')}!"
        points = event.get("points")
        return f"{thanks} (+{points} points)" if points else thanks
    if kind == rec.REFERRAL_PAID:
        return f"Thanks for inviting them to {event.get('community', 'the community')}."
    if kind in (SYSTEM_TEST, MODERATION_ALERT, MODERATION_REPORT):
        return event.get("message", "")
    if kind == CONTENT_HIDDEN:
        return (
            f"In {event.get('community', 'the community')}. Reason: {event.get('reason', '')}"
            " · If you think this was a mistake, open this notice to ask for a review."
        )
    if kind == CONTENT_RESTORED:
        return (
            f"In {event.get('community', 'the community')}. Reason: {event.get('reason', '')}"
            " · It is visible again and its points are back."
        )
    if kind in SOCIAL_TYPES:
        return _social_body(event)
    return ""


def _social_body(event: dict) -> str:
    """Which community it is from (and who replied last, or who accepted). Never the post's
    text: the post may be edited or hidden later, and an inbox keeps no copy of it."""
    where = f"In {event.get('community', 'your community')}"
    if event["type"] == ANSWER_ACCEPTED:
        return f"{where}, accepted by {event.get('actor', 'the asker')}."
    if event.get("count", 1) > 1:
        return f"{where}, latest from {event.get('actor', 'a member')}."
    return f"{where}."
