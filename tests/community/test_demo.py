from community import demo
from community.models import (
    Acceptance,
    HelpfulVote,
    ModerationAction,
    Photo,
    Post,
    Product,
    Report,
    Review,
    Topic,
)
from gamification.models import LedgerEntry


def counts():
    models = [
        Product,
        Topic,
        Post,
        Acceptance,
        HelpfulVote,
        Review,
        Photo,
        Report,
        ModerationAction,
    ]
    return {model.__name__: model.objects.count() for model in models} | {
        "ledger": LedgerEntry.objects.count()
    }


def test_seed_is_lived_in_and_idempotent(db):
    demo.seed()
    first = counts()
    for community_slug in ("ember-roasters", "summit-supply", "glow-lab"):
        assert Topic.objects.filter(community__slug=community_slug, kind="question").exists()
        assert Acceptance.objects.filter(topic__community__slug=community_slug).exists()
        assert Photo.objects.filter(community__slug=community_slug, is_featured=True).exists()
        assert Report.objects.filter(community__slug=community_slug, status="open").exists()
    assert first["Review"] >= 10 and first["HelpfulVote"] >= 5 and first["ledger"] > 40
    demo.seed()
    assert counts() == first
