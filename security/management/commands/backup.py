from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions, login lockouts);
# and the tables the database keeps itself (unmanaged models: the running totals, rebuilt as rows load).
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes"]
NOT_BACKED_UP += [model._meta.label for model in apps.get_models() if not model._meta.managed]


class Command(BaseCommand):
    help = (
        "Write every record, users and both audit trails included, to a JSON file that `manage.py restore` "
        "loads into an empty database of either kind (SQLite or PostgreSQL). A name ending in .gz, .bz2, .xz "
        "or .lzma compresses it. The file holds password hashes and API tokens: keep it as safe as the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the backup, e.g. backups/cvetracker-2026-01-31.json.gz")

    def handle(self, path, **options):
        # Foreign keys to content types and permissions by name, as the restoring database numbers them anew.
        call_command("dumpdata", natural_foreign=True, exclude=NOT_BACKED_UP, output=path, verbosity=0)
        self.stdout.write(_("Backup written to %(path)s.") % {"path": path})
