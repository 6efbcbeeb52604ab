from django.core.management.base import BaseCommand

from cms import demo as cms_demo
from commerce import demo as commerce_demo
from community import demo
from gamification import demo as gamification_demo
from rewards import demo as rewards_demo


class Command(BaseCommand):
    help = "Load the demo communities, accounts and content (idempotent)."

    def handle(self, *args, **options):
        communities = demo.seed_communities()
        # Backdated recognition history first, then today's content: streaks count days in order.
        gamification_demo.seed(communities)
        demo.seed_content(communities)
        cms_demo.seed(communities)
        rewards_demo.seed(communities)
        commerce_demo.seed(communities)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(communities)} communities."))
        self.stdout.write(
            "Demo logins (password "
            f"{demo.DEMO_PASSWORD}): alice, bob (members), mod (moderator), "
            "brand (brand manager), admin (superuser)"
        )
