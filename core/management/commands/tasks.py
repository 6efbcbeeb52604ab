"""Failed background tasks: ``manage.py tasks failed`` lists them, ``tasks retry <id>`` (or
``--all``) queues them again from their first attempt."""

from django.core.management.base import BaseCommand, CommandError

from core import tasks


class Command(BaseCommand):
    help = "List failed background tasks and queue them again."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        failed = actions.add_parser("failed", help="List tasks that failed their last attempt.")
        failed.add_argument(
            "--all", action="store_true", help="Also list failed attempts a retry will follow."
        )
        retry = actions.add_parser("retry", help="Queue failed tasks again.")
        retry.add_argument("ids", nargs="*", help="Ids from `tasks failed`.")
        retry.add_argument("--all", action="store_true", help="Every task that failed for good.")

    def handle(self, *args, action: str, **options):
        if action == "failed":
            self._list(tasks.failed_tasks(include_retrying=options["all"]))
        else:
            ids = options["ids"]
            if options["all"]:
                ids = [f.id for f in tasks.failed_tasks()]
            elif not ids:
                raise CommandError("Give the ids of the tasks to retry, or --all.")
            for result_id in ids:
                try:
                    new_id = tasks.retry_failed(result_id)
                except tasks.UnknownTask as error:
                    raise CommandError(f"No failed task with id {result_id}.") from error
                self.stdout.write(f"Queued {result_id} again as {new_id}.")

    def _list(self, failed: list[tasks.FailedTask]) -> None:
        if not failed:
            self.stdout.write("No failed tasks.")
            return
        for item in failed:
            when = f"{item.failed_at:%Y-%m-%d %H:%M:%S}" if item.failed_at else "-"
            retry = "" if item.final else " (will retry)"
            self.stdout.write(
                f"{item.id}  {when}  {item.task_path}  attempt {item.attempt}/{item.attempts}"
                f"{retry}  args={item.args} kwargs={item.kwargs}  {item.error}"
            )
        self.stdout.write(f"{len(failed)} failed task{'s' if len(failed) != 1 else ''}.")
