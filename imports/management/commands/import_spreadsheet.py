from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event
from imports import kinds, spreadsheet

MAY_NOT = {
    kinds.Kind.UPDATES: gettext_lazy("%(username)s may not record status updates."),
    kinds.Kind.RECOMMENDATIONS: gettext_lazy("%(username)s may not import recommendations and assignments."),
}


class Command(BaseCommand):
    help = (
        "Import a filled-in template (XLSX or CSV) as USER, through the same rules as the pages: all rows or "
        "none. The kind of import is told by the file's header — status updates, or an event's recommendations "
        "and assignments (then name the event with --event) — unless --kind says it. Prints one line per "
        "refused row and exits with status 1 if any row is refused; --dry-run only says what would be done."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The filled-in template, e.g. updates-kz.xlsx")
        parser.add_argument("--as", dest="username", help="The user the import is recorded as (required)")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing")
        parser.add_argument(
            "--kind", choices=kinds.Kind.values, help="The kind of import (default: told by the header)"
        )
        parser.add_argument("--event", help="The event's code, for its recommendations and assignments")

    def handle(self, *args, file, username, dry_run, kind, event, **options):
        try:
            with Path(file).open("rb") as opened:
                kind = kind or kinds.detect(spreadsheet.header(opened))
                user, event = self._user(username, kind), self._event(event, kind)
                module = kinds.MODULES[kind]
                rows = module.read(opened)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        except spreadsheet.FileRefused as refused:
            raise CommandError(f"{file}: {refused.message}") from None
        result = (module.preview if dry_run else module.commit)(rows, user, event)
        for refusal in result.refused:
            where = _("row %(row)d, %(column)s") % {"row": refusal.row, "column": module.column(refusal) or "—"}
            self.stderr.write(f"{file}, {where}: {refusal.message}")
        if result.refused:
            raise CommandError(spreadsheet.refused_message(result))
        self.stdout.write(f"{file}: {module.summary(result, dry_run)}")

    def _user(self, username, kind):
        if not username:
            raise CommandError(_("Name the user the import is recorded as: --as USERNAME."))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        if not kinds.ALLOWED[kind](user):
            raise CommandError(MAY_NOT[kind] % {"username": username})
        return user

    def _event(self, code, kind):
        if kind != kinds.Kind.RECOMMENDATIONS:
            return None
        if not code:
            raise CommandError(_("Name the event whose recommendations the file holds: --event CODE."))
        event = Event.objects.filter(code=code).first()
        if event is None:
            raise CommandError(_("No event has the code %(code)s.") % {"code": code})
        return event
