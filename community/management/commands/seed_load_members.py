"""Members for the load test: ``load0001`` ... in every demo community, with the demo password.

Idempotent: running it again (with the same or a larger ``--count``) creates only the members and
memberships that are missing. Members join through ``join_community``, as a sign-up would. One
password hash is computed and shared by all of them: hashing it per member would take most of
a minute for a few hundred members.
"""

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from community.demo import COMMUNITIES, DEMO_PASSWORD
from community.services.membership import join_community
from tenancy.models import Community

PREFIX = "load"


def load_username(number: int, prefix: str = PREFIX) -> str:
    return f"{prefix}{number:04d}"


class Command(BaseCommand):
    help = (
        "Create --count load-test members (load0001...) in the demo communities, "
        f"password {DEMO_PASSWORD!r} (idempotent; run seed_demo first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument("--prefix", default=PREFIX, help="Username prefix (default: load).")

    def handle(self, *args, count, prefix, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        slugs = [spec["slug"] for spec in COMMUNITIES]
        communities = list(Community.objects.filter(slug__in=slugs).order_by("pk"))
        if not communities:
            raise CommandError("No demo communities: run manage.py seed_demo first.")
        usernames = [load_username(n, prefix) for n in range(1, count + 1)]
        with transaction.atomic():
            existing = set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            password = make_password(DEMO_PASSWORD)
            User.objects.bulk_create(
                User(username=name, password=password, email=f"{name}@example.com")
                for name in usernames
                if name not in existing
            )
            for user in User.objects.filter(username__in=usernames).order_by("username"):
                for community in communities:
                    join_community(user=user, community=community)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} load members ready ({usernames[0]}..{usernames[-1]}, "
                f"{len(usernames) - len(existing)} new) in {len(communities)} communities."
            )
        )
