from django.core.management import call_command

from gamification.models import BadgeAward, Kudos, LedgerEntry, Score


def test_demo_seeding_is_idempotent_and_believable(db):
    call_command("seed_demo", verbosity=0)
    counts = (LedgerEntry.objects.count(), Kudos.objects.count(), BadgeAward.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        LedgerEntry.objects.count(),
        Kudos.objects.count(),
        BadgeAward.objects.count(),
    ) == counts
    lifetimes = sorted(Score.objects.values_list("lifetime", flat=True))
    assert len(set(lifetimes)) > 5 and lifetimes[0] > 0
    assert Score.objects.filter(current_streak__gte=3).exists()
    assert BadgeAward.objects.filter(tier=2).exists()
