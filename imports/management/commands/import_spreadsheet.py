from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imports import spreadsheet, updates
from recommendations import permissions


class Command(BaseCommand):
    help = (
        "Record the status updates of a filled-in template (XLSX or CSV) as USER, through the same rules "
        "as the reporting form: all rows or none. Prints one line per refused row and exits with status 1 "
        "if any row is refused; --dry-run only says what would be recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The filled-in template, e.g. updates-kz.xlsx")
        parser.add_argument("--as", dest="username", help="The user the updates are recorded as (required)")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing")

    def handle(self, *args, file, username, dry_run, **options):
        user = self._user(username)
        try:
            with Path(file).open("rb") as opened:
                rows = updates.read(opened)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        except spreadsheet.FileRefused as refused:
            raise CommandError(f"{file}: {refused.message}") from None
        result = (updates.preview if dry_run else updates.commit)(rows, user)
        for refusal in result.refused:
            where = _("row %(row)d, %(column)s") % {"row": refusal.row, "column": updates.column(refusal) or "—"}
            self.stderr.write(f"{file}, {where}: {refusal.message}")
        if result.refused:
            raise CommandError(updates.refused_message(result))
        if dry_run:
            message = _(
                "%(file)s: %(created)d to record, %(left)d left (already recorded or not filled in); nothing written."
            )
        else:
            message = _("%(file)s: %(created)d recorded, %(left)d left (already recorded or not filled in).")
        self.stdout.write(message % {"file": file, "created": len(result.created), "left": len(result.left)})

    def _user(self, username):
        if not username:
            raise CommandError(_("Name the user the updates are recorded as: --as USERNAME."))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        if not permissions.can_import_updates(user):
            raise CommandError(_("%(username)s may not record status updates.") % {"username": username})
        return user
