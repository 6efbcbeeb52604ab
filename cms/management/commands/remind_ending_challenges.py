"""Cron: remind members who joined a challenge that ends soon and haven't finished it.

Run hourly, e.g. ``0 * * * * manage.py remind_ending_challenges --hours 24``. Each member gets
at most one reminder per challenge, however often it runs.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from cms import services


class Command(BaseCommand):
    help = "Remind members whose challenge ends within --hours (default 24) to finish it."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours: int, **options):
        sent = services.remind_ending_challenges(within=timedelta(hours=hours))
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
