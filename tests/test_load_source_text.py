import pytest
from django.core.management import CommandError, call_command

from events.models import SourceDocument
from tests.test_fixtures import SEED_FILES

pytestmark = pytest.mark.django_db


def test_it_loads_a_document_whose_quotes_are_all_there(documents, source_texts):
    call_command("load_source_text", "1", str(source_texts / SEED_FILES["CSACVE-2015"]))
    assert "Kerlikowske" in SourceDocument.objects.get(pk=1).text


def test_it_refuses_a_text_missing_a_quote_and_saves_nothing(documents, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("An unrelated article.", encoding="utf-8")
    with pytest.raises(CommandError, match="CSACVE-2015-1"):
        call_command("load_source_text", "1", str(wrong))
    assert SourceDocument.objects.get(pk=1).text == ""


def test_it_names_a_missing_file_or_document(documents, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_source_text", "1", str(tmp_path / "absent.txt"))
    with pytest.raises(CommandError, match="No source document"):
        call_command("load_source_text", "99", str(tmp_path / "absent.txt"))
