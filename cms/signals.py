"""Wagtail's ``page_published`` is the one signal we use: Wagtail offers no other hook that also
fires for scheduled publishing (``publish_scheduled``)."""

from wagtail.signals import page_published

from cms import services
from cms.models import ChallengePage


def announce_published_challenge(sender, instance, revision=None, **kwargs) -> None:
    publisher = getattr(revision, "user", None)
    services.announce_challenge(challenge=instance, published_by=publisher)


def connect() -> None:
    page_published.connect(
        announce_published_challenge, sender=ChallengePage, dispatch_uid="cms_announce_challenge"
    )
