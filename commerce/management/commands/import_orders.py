from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commerce.importer import COLUMNS, import_csv
from core.errors import AppError
from tenancy.models import Community


class Command(BaseCommand):
    help = (
        "Import past orders from a CSV file (one row per order line; columns: "
        f"{','.join(COLUMNS)}). Idempotent: orders already imported are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--community", required=True, help="The community's slug.")

    def handle(self, *args, csv: Path, community: str, **options):
        found = Community.objects.filter(slug=community).first()
        if found is None:
            raise CommandError(f"No community {community!r}.")
        try:
            with csv.open(newline="", encoding="utf-8-sig") as file:
                result = import_csv(found, file)
        except OSError as error:
            raise CommandError(f"Cannot read {csv}: {error.strerror}.") from None
        except (AppError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.orders} orders ({result.lines} lines); skipped "
                f"{result.skipped} already there; matched {result.matched} customers to members."
            )
        )
