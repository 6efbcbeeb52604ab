from community import demo
from gamification import demo as gamification_demo
from gamification.models import BadgeAward, Kudos, LedgerEntry, Score


def test_demo_seeding_is_idempotent_and_believable(db):
    communities = demo.seed()
    gamification_demo.seed(communities)
    counts = (LedgerEntry.objects.count(), Kudos.objects.count(), BadgeAward.objects.count())
    gamification_demo.seed(demo.seed())
    assert (
        LedgerEntry.objects.count(),
        Kudos.objects.count(),
        BadgeAward.objects.count(),
    ) == counts
    lifetimes = sorted(Score.objects.values_list("lifetime", flat=True))
    assert len(set(lifetimes)) > 5 and lifetimes[0] > 0
    assert Score.objects.filter(current_streak__gte=3).exists()
    assert BadgeAward.objects.filter(tier=2).exists()
