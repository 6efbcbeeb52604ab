"""Send a member a test notification through the whole pipeline (store, then push).

With REDIS_URL set, the member's open pages show the toast and the new bell count at once;
on the in-memory channel layer this process cannot reach the server's sockets, so the
notification is only stored (it is in the inbox and the bell after a reload).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from gamification.recognitions import Recognitions
from realtime import event_types, events

TEST_MESSAGE = "If you can read this, real-time notifications work."


class Command(BaseCommand):
    help = "Send <username> a test notification: stored in their inbox and pushed to their pages."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No member called {username!r}.")
        membership = user.memberships.order_by("joined_at").first()
        recognitions = Recognitions()
        recognitions.add(
            event_types.SYSTEM_TEST,
            user_id=user.pk,
            community_id=membership.community_id if membership else None,
            message=TEST_MESSAGE,
            url="/notifications/",
        )
        with transaction.atomic():
            events.publish_on_commit(recognitions)
        self.stdout.write(self.style.SUCCESS(f"Sent a test notification to {user.username}."))
        if "InMemory" in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
            self.stdout.write(
                "In-memory channel layer: stored only. Set REDIS_URL to push to open pages."
            )
