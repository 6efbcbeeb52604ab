from django.core.management import call_command

from rewards.models import Redemption, Reward, RewardCode


def test_demo_rewards_are_idempotent_and_alice_has_a_code(db):
    call_command("seed_demo", verbosity=0)
    counts = (Reward.objects.count(), RewardCode.objects.count(), Redemption.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        Reward.objects.count(),
        RewardCode.objects.count(),
        Redemption.objects.count(),
    ) == counts
    (redemption,) = Redemption.objects.all()
    assert redemption.member.username == "alice" and redemption.code.startswith("BREW-")
