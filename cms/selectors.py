"""Read-side queries for CMS pages."""

from django.utils import timezone


def open_challenges(home):
    from cms.models import ChallengePage

    now = timezone.now()
    return (
        ChallengePage.objects.live()
        .descendant_of(home)
        .filter(starts_at__lte=now, ends_at__gt=now)
        .order_by("ends_at")
    )


def challenges_under(index):
    from cms.models import ChallengePage

    return ChallengePage.objects.live().child_of(index).order_by("-starts_at")


def announcements(home, limit: int = 5):
    from cms.models import AnnouncementPage

    return AnnouncementPage.objects.live().child_of(home).order_by("-published_on")[:limit]
