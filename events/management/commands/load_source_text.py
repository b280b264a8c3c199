"""Attach a source document's full text (kept outside the repository) and check its quotes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
            raise CommandError(f"No source document with id {document}.") from None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        source.text = text
        missing = [
            rec.code for rec in source.recommendations.order_by("sequence") if not source.contains(rec.source_quote)
        ]
        if missing:
            raise CommandError(f"{path} does not contain the quotes of {', '.join(missing)}; nothing was saved.")
        with transaction.atomic():
            source.save(update_fields=["text"])
        self.stdout.write(f"Loaded {len(text)} characters into “{source}”; all quotes found.")
