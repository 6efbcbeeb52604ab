"""Signal receivers (connected in ``CommerceConfig.ready()``)."""

from commerce import services


def membership_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new member gets the orders they placed as a customer before joining."""
    if created and not raw:
        services.attribute_orders(user=instance.user, community=instance.community)
