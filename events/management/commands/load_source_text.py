"""Attach a source document's full text (kept outside the repository) and check its quotes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import SourceDocument


class Command(BaseCommand):
    help = "Load the full text of a source document from a file and check every quote taken from it."

    def add_arguments(self, parser):
        parser.add_argument("document", type=int, help="Source document id")
        parser.add_argument("path", type=Path, help="UTF-8 text file")

    def handle(self, *args, document, path, **options):
        try:
            source = SourceDocument.objects.get(pk=document)
        except SourceDocument.DoesNotExist:
            raise CommandError(_("No source document with id %(id)s.") % {"id": document}) from None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
        source.text = text
        missing = [
            rec.code for rec in source.recommendations.order_by("sequence") if not source.contains(rec.source_quote)
        ]
        if missing:
            raise CommandError(
                _("%(path)s does not contain the quotes of %(codes)s; nothing was saved.")
                % {"path": path, "codes": ", ".join(missing)}
            )
        with transaction.atomic():
            source.save(update_fields=["text"])
        self.stdout.write(
            ngettext(
                "Loaded %(count)d character into “%(document)s”; all quotes found.",
                "Loaded %(count)d characters into “%(document)s”; all quotes found.",
                len(text),
            )
            % {"count": len(text), "document": source}
        )
