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
}
