from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from community import selectors
from community.models import HelpfulVote
from community.services import moderation
from tenancy.models import Community


class Command(BaseCommand):
    help = (
        "Find voter -> recipient pairs with many helpful votes in a short time, reverse the "
        "points those votes earned (reversal rows; a second run reverses nothing more), log it "
        "in the community's moderation log and notify its moderators."
    )

    def add_arguments(self, parser):
        parser.add_argument("--community", metavar="SLUG", help="Only this community.")
        parser.add_argument(
            "--votes", type=int, default=5, help="Votes in one burst that make it serial (5)."
        )
        parser.add_argument(
            "--minutes", type=int, default=60, help="How short a burst is, in minutes (60)."
        )
        parser.add_argument(
            "--days", type=int, default=7, help="How far back to look, in days (7)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be reversed; change nothing."
        )

    def handle(self, *args, community=None, votes, minutes, days, dry_run=False, **options):
        if votes < 2 or minutes < 1 or days < 1:
            raise CommandError("--votes must be at least 2, --minutes and --days at least 1.")
        communities = Community.objects.order_by("slug")
        if community:
            communities = communities.filter(slug=community)
            if not communities.exists():
                raise CommandError(f"No community with slug {community!r}.")
        since = timezone.now() - timedelta(days=days)
        pairs_found = points_total = 0
        for each in communities:
            pairs = selectors.serial_votes(
                each, min_votes=votes, within=timedelta(minutes=minutes), since=since
            )
            users = User.objects.in_bulk(
                {p.voter_id for p in pairs} | {p.recipient_id for p in pairs}
            )
            for pair in pairs:
                voter, recipient = users[pair.voter_id], users[pair.recipient_id]
                line = f"{each.slug}: {voter} -> {recipient}: {len(pair.vote_ids)} serial votes"
                if dry_run:
                    self.stdout.write(f"{line} (dry run: nothing reversed)")
                    pairs_found += 1
                    continue
                points = moderation.reverse_serial_votes(
                    community=each,
                    voter=voter,
                    recipient=recipient,
                    votes=list(HelpfulVote.objects.filter(pk__in=pair.vote_ids)),
                    min_votes=votes,
                    minutes=minutes,
                )
                done = f"{points} points reversed" if points else "already reversed"
                self.stdout.write(f"{line}, {done}")
                pairs_found += 1
                points_total += points
        verb = "Would review" if dry_run else "Reviewed"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {pairs_found} pair(s); {points_total} points reversed.")
        )
