from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from events.models import Actor, Event


class Command(BaseCommand):
    help = (
        "Load a `manage.py backup` file into an empty, migrated database (run `manage.py migrate` first). "
        "All or nothing: one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by `manage.py backup`.")

    def handle(self, path, **options):
        if any(model.objects.exists() for model in (Event, Actor, get_user_model())):
            raise CommandError(_("This database already holds records: restore into an empty, freshly migrated one."))
        # The backup carries the audit trail; loading it must not add "created by system" entries to it.
        with disable_auditlog():
            call_command("loaddata", path, verbosity=0)
        self.stdout.write(_("Restored %(path)s.") % {"path": path})
