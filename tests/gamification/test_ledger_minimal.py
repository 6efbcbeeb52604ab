from gamification import awards, corrections
from gamification.actions import REVIEW_WRITTEN
from gamification.models import LedgerEntry


def test_award_is_idempotent_and_reversal_and_restore_balance(member, community):
    target = community  # any model instance can be the source object
    awards.record_action(member, community, REVIEW_WRITTEN, target)
    awards.record_action(member, community, REVIEW_WRITTEN, target)
    assert LedgerEntry.objects.filter(action=REVIEW_WRITTEN).count() == 1
    corrections.reverse_for_object(target, reason="hidden")
    corrections.reverse_for_object(target, reason="hidden")
    assert (
        sum(LedgerEntry.objects.filter(action=REVIEW_WRITTEN).values_list("points", flat=True)) == 0
    )
    corrections.restore_for_object(target, reason="restored")
    corrections.restore_for_object(target, reason="restored")
    assert (
        sum(LedgerEntry.objects.filter(action=REVIEW_WRITTEN).values_list("points", flat=True))
        == 10
    )
    corrections.reverse_for_object(target, reason="hidden again")
    corrections.restore_for_object(target, reason="restored again")
    assert (
        sum(LedgerEntry.objects.filter(action=REVIEW_WRITTEN).values_list("points", flat=True))
        == 10
    )
