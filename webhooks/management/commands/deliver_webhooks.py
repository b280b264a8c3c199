"""Send the webhook deliveries that are due (webhooks/sending.py): in a loop by default, sleeping
WEBHOOK_POLL_SECONDS when none is due; with --once, what is due now, then exit (for cron).

Several workers may run at once on PostgreSQL; a delivery is never sent by two at the same time.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from webhooks import sending


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due, signed, retrying failures with exponential backoff."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit (for cron).")
        parser.add_argument(
            "--sleep",
            type=float,
            default=settings.WEBHOOK_POLL_SECONDS,
            help="Seconds to wait when nothing is due (default WEBHOOK_POLL_SECONDS).",
        )

    def handle(self, *args, once, sleep, **options):
        if once:
            self.stdout.write(f"Tried {sending.deliver_due()} deliveries.")
            return
        try:
            while True:
                if not sending.deliver_due():
                    close_old_connections()  # a long-lived worker: let a dropped connection be replaced
                    time.sleep(sleep)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
