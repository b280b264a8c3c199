"""Mail each user one digest of the status updates they were told of since the last one
(notifications/notices.py, notifications/digests.py).

Meant for cron or a systemd timer, hourly or daily (docs/operations.md#digests-of-what-you-follow).
Each user's notifications are claimed in the database before the mail goes out, so a second run,
or a run on another server at the same time, sends nothing new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.language import stored_language
from accounts.mail import mail_claimed, require_site_url
from notifications import digests


class Command(BaseCommand):
    help = "Mail each user a digest of the new status updates they follow or that concern their assignments."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and record nothing.")

    def handle(self, *args, dry_run, **options):
        require_site_url("digests")
        users = digests.recipients()
        if dry_run:
            for user in users:
                self._describe(user, list(digests.untold(user).order_by("created_at", "pk")))
            self.stdout.write(f"Dry run: {len(users)} digests would be sent; nothing was sent or recorded.")
            return
        mailed, failed = mail_claimed(
            users,
            claim=digests.claim,
            message=digests.message,
            release=digests.release,
            name=lambda user: user.get_username(),
            stderr=self.stderr,
        )
        for user, notifications in mailed if options["verbosity"] > 1 else ():
            self._describe(user, notifications)
        told = sum(len(notifications) for _, notifications in mailed)
        self.stdout.write(f"Sent {len(mailed)} digests ({told} updates).")
        if failed:
            raise CommandError(f"{failed} digests could not be mailed; the next run tries them again.")

    def _describe(self, user, notifications):
        language = stored_language(user) or settings.LANGUAGE_CODE
        self.stdout.write(f"To {user.get_username()} <{user.email}> ({language}): {len(notifications)} updates")
        for notification in notifications:
            self.stdout.write(f"  status update {notification.update_id} ({notification.reason})")
