"""The actions members are recognised for, and the points they earn by default."""

TOPIC_CREATED = "topic.created"
QUESTION_ASKED = "question.asked"
REPLY_POSTED = "reply.posted"
ANSWER_POSTED = "answer.posted"
ANSWER_ACCEPTED = "answer.accepted"
HELPFUL_VOTE_RECEIVED = "helpful_vote.received"
REVIEW_WRITTEN = "review.written"
PHOTO_UPLOADED = "photo.uploaded"
PHOTO_FEATURED = "photo.featured"
KUDOS_RECEIVED = "kudos.received"
CHALLENGE_COMPLETED = "challenge.completed"
REFERRAL_COMPLETED = "referral.completed"
FIRST_CONTRIBUTION = "first.contribution"
REWARD_SPENT = "reward.spent"
REFERRAL_WELCOME = "referral.welcome"
WELCOME_FIRST_POST = "welcome.first_post"
WELCOME_FIRST_REVIEW = "welcome.first_review"
WELCOME_FIRST_PHOTO = "welcome.first_photo"
WELCOME_PROFILE = "welcome.profile_completed"
# Purchases (the ``commerce`` app records them from the shop's webhooks): per order, per whole
# currency unit of the order's total (the rule's points are per unit), and a one-time thank-you.
PURCHASE_ORDER = "purchase.order"
PURCHASE_SPEND = "purchase.spend"
PURCHASE_FIRST_ORDER = "purchase.first_order"

DEFAULT_POINTS = {
    TOPIC_CREATED: 5,
    QUESTION_ASKED: 5,
    REPLY_POSTED: 2,
    ANSWER_POSTED: 5,
    ANSWER_ACCEPTED: 15,
    HELPFUL_VOTE_RECEIVED: 3,
    REVIEW_WRITTEN: 10,
    PHOTO_UPLOADED: 5,
    PHOTO_FEATURED: 10,
    KUDOS_RECEIVED: 10,
    CHALLENGE_COMPLETED: 25,
    REFERRAL_COMPLETED: 20,
    FIRST_CONTRIBUTION: 10,
    REFERRAL_WELCOME: 10,
    WELCOME_FIRST_POST: 5,
    WELCOME_FIRST_REVIEW: 10,
    WELCOME_FIRST_PHOTO: 5,
    WELCOME_PROFILE: 10,
    PURCHASE_ORDER: 10,
    PURCHASE_SPEND: 1,
    PURCHASE_FIRST_ORDER: 25,
}

# What a member reads next to a ledger row, and on the "how points work" page.
LABELS = {
    TOPIC_CREATED: "Started a topic",
    QUESTION_ASKED: "Asked a question",
    REPLY_POSTED: "Posted a reply",
    ANSWER_POSTED: "Answered a question",
    ANSWER_ACCEPTED: "Answer accepted",
    HELPFUL_VOTE_RECEIVED: "Helpful vote received",
    REVIEW_WRITTEN: "Wrote a review",
    PHOTO_UPLOADED: "Uploaded a photo",
    PHOTO_FEATURED: "Photo featured",
    KUDOS_RECEIVED: "Kudos from the team",
    CHALLENGE_COMPLETED: "Completed a challenge",
    REFERRAL_COMPLETED: "A friend you invited joined",
    FIRST_CONTRIBUTION: "First contribution",
    REWARD_SPENT: "Redeemed a reward",
    REFERRAL_WELCOME: "Joined through a friend's invite",
    WELCOME_FIRST_POST: "Welcome: first post",
    WELCOME_FIRST_REVIEW: "Welcome: first review",
    WELCOME_FIRST_PHOTO: "Welcome: first photo",
    WELCOME_PROFILE: "Welcome: completed profile",
    PURCHASE_ORDER: "Placed an order",
    PURCHASE_SPEND: "Points for what you spent (per currency unit)",
    PURCHASE_FIRST_ORDER: "Thank you for your first order",
}

# A member's own contributions: they count toward streaks and the first-contribution bonus.
CONTRIBUTIONS = frozenset(
    {TOPIC_CREATED, QUESTION_ASKED, REPLY_POSTED, ANSWER_POSTED, REVIEW_WRITTEN, PHOTO_UPLOADED}
)

# Awards that come from someone else's act; the actor may not reward their own content.
RECEIVED_FROM_OTHERS = frozenset(
    {HELPFUL_VOTE_RECEIVED, ANSWER_ACCEPTED, PHOTO_FEATURED, KUDOS_RECEIVED, REFERRAL_COMPLETED}
)


# Challenge goals: the actions a brand manager can set as a challenge's goal, with their labels.
GOAL_ACTION_CHOICES = [
    (TOPIC_CREATED, "Start a discussion"),
    (QUESTION_ASKED, "Ask a question"),
    (REPLY_POSTED, "Reply to a discussion"),
    (ANSWER_POSTED, "Answer a question"),
    (REVIEW_WRITTEN, "Write a review"),
    (PHOTO_UPLOADED, "Upload a photo"),
    (HELPFUL_VOTE_RECEIVED, "Receive a helpful vote"),
]
GOAL_ACTIONS = frozenset(action for action, _ in GOAL_ACTION_CHOICES)
# Goals whose contributions concern a product (a challenge may target one product).
PRODUCT_GOAL_ACTIONS = frozenset({REVIEW_WRITTEN, PHOTO_UPLOADED})

# First-action welcomes: the contribution that triggers each one, and what the thank-you names.
WELCOME_FOR_CONTRIBUTION = {
    TOPIC_CREATED: WELCOME_FIRST_POST,
    QUESTION_ASKED: WELCOME_FIRST_POST,
    REPLY_POSTED: WELCOME_FIRST_POST,
    ANSWER_POSTED: WELCOME_FIRST_POST,
    REVIEW_WRITTEN: WELCOME_FIRST_REVIEW,
    PHOTO_UPLOADED: WELCOME_FIRST_PHOTO,
}
WELCOME_WHAT = {
    WELCOME_FIRST_POST: "your first post",
    WELCOME_FIRST_REVIEW: "your first review",
    WELCOME_FIRST_PHOTO: "your first photo",
    WELCOME_PROFILE: "completing your profile",
}


# Rows the engine writes on the spendable balance alone; they are not point rules, so they
# stay out of ``LABELS`` (which lists what a brand manager can set points for).
POINTS_HELD = "points.held"
POINTS_EXPIRED = "points.expired"
ALREADY_SPENT = "points.already_spent"
BALANCE_LABELS = {
    POINTS_HELD: "Pending: spendable later",
    POINTS_EXPIRED: "Points expired after a quiet spell",
    ALREADY_SPENT: "Already spent, so not taken back",
}


def label(action: str) -> str:
    known = LABELS.get(action) or BALANCE_LABELS.get(action)
    return known or action.replace(".", " ").replace("_", " ").capitalize()


# A redemption (negative) and its refund (a reversal, positive).
SPENDING = frozenset({REWARD_SPENT})

# Ledger rows that move only the spendable balance; lifetime points, levels, boards and action
# counts ignore them. Besides spending: a hold on freshly earned points (negative, with
# ``release_at``) and its release (a reversal, positive); points that expired; and the part of
# a reversal the member had already spent (positive: the balance never goes below zero).
BALANCE_ONLY = SPENDING | frozenset(BALANCE_LABELS)

# Rows that are not the member's activity for expiry (reversals never are either): the member
# neither earned nor spent anything.
NOT_ACTIVITY = frozenset(BALANCE_LABELS)
