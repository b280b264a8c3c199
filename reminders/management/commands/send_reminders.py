"""Mail each focal point and coordinator the digest of reminders due now (reminders/due.py).

Meant for cron or a systemd timer, daily (docs/operations.md#reminders). Every reminder is claimed
in the database before its mail goes out, so a second run, or a run on another server at the same
time, sends nothing new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.language import stored_language
from accounts.mail import mail_claimed, require_site_url
from cvetracker.datasets import Dataset
from reminders import sending
from reminders.due import digests


class Command(BaseCommand):
    help = "Mail the reminders due now: one digest per focal point and per coordinator."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and record nothing.")
        parser.add_argument("--include-demo", action="store_true", help="Remind of demo assignments too.")
        parser.add_argument(
            "--include-synthetic", action="store_true", help="Remind of synthetic (benchmark) assignments too."
        )

    def handle(self, *args, dry_run, include_demo, include_synthetic, **options):
        require_site_url("reminders")
        datasets = [Dataset.RECORD]
        datasets += [Dataset.DEMO] if include_demo else []
        datasets += [Dataset.SYNTHETIC] if include_synthetic else []
        due = digests(datasets=datasets)
        if dry_run:
            for digest in due:
                self._describe(digest, digest.items)
            self.stdout.write(f"Dry run: {len(due)} digests would be sent; nothing was sent or recorded.")
            return
        mailed, failed = mail_claimed(
            due,
            claim=sending.claim,
            message=sending.message,
            release=sending.release,
            name=lambda digest: digest.recipient.get_username(),
            stderr=self.stderr,
        )
        for digest, items in mailed if options["verbosity"] > 1 else ():
            self._describe(digest, items)
        reminders = sum(len(item.thresholds) for _, items in mailed for item in items)
        self.stdout.write(f"Sent {len(mailed)} digests ({reminders} reminders).")
        if failed:
            raise CommandError(f"{failed} digests could not be mailed; the next run tries them again.")

    def _describe(self, digest, items):
        user = digest.recipient
        role = "coordinator" if digest.coordinator else "focal point"
        language = stored_language(user) or settings.LANGUAGE_CODE
        self.stdout.write(f"To {user.get_username()} <{user.email}> ({role}, {language}):")
        for item in items:
            assignment = item.assignment
            thresholds = ", ".join(threshold for threshold, _, _ in item.thresholds)
            self.stdout.write(f"  {assignment.recommendation.code} {assignment.actor.name}: {thresholds}")
