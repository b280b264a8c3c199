"""The translation catalogues (docs/translations.md): complete, compiled, consistent with the tree.

Every .po under LOCALE_PATHS (the tracker's own in locale/, the completion of Django's and the
libraries' in locale_upstream/) is checked; makemessages on a copy of the tree must find nothing
that locale/ lacks, which needs GNU gettext (skipped with the reason where it is absent, a failure
in CI)."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.prerequisites import unavailable

PLURAL_FORMS = {"ru": 3, "kk": 2}  # a new language adds itself here
OWN = {language: settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po" for language in PLURAL_FORMS}
EVERY_PO = sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _ids(path):
    return str(path.relative_to(settings.BASE_DIR))


def _translations(entries):
    """(context, msgid) -> msgstr, or the tuple of plural forms, of each entry."""
    return {
        (entry.msgctxt, entry.msgid): tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        if entry.msgid_plural
        else entry.msgstr
        for entry in entries
    }


def test_each_language_has_its_catalogue():
    assert all(path.exists() for path in OWN.values()), OWN


@pytest.mark.parametrize("language", PLURAL_FORMS)
def test_nothing_is_left_untranslated_or_fuzzy(language):
    catalogue = polib.pofile(OWN[language])

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("path", EVERY_PO, ids=_ids)
def test_the_committed_mo_is_the_compiled_po(path):
    po = polib.pofile(path)
    mo = polib.mofile(path.with_suffix(".mo"))

    assert _translations(mo) == _translations(po.translated_entries()), f"run compilemessages for {path}"


@pytest.mark.parametrize("path", EVERY_PO, ids=_ids)
def test_placeholders_and_plural_forms_match(path):
    catalogue = polib.pofile(path)
    language = catalogue.metadata["Language"]
    nplurals = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
    assert nplurals == PLURAL_FORMS[language]

    # A form chosen for n == 1 alone may leave the count out, as the English singular does ("an hour ago").
    plural = gettext.c2py(catalogue.metadata["Plural-Forms"].split("plural=", 1)[1].strip().rstrip(";"))
    only_one = {form for form in range(nplurals) if [n for n in range(200) if plural(n) == form] == [1]}
    for entry in catalogue.translated_entries():
        singular = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == nplurals and all(entry.msgstr_plural.values()), entry.msgid
            expected = set(PLACEHOLDER.findall(entry.msgid_plural))
            for form, text in entry.msgstr_plural.items():
                allowed = [expected, singular] if form in only_one else [expected]
                assert set(PLACEHOLDER.findall(text)) in allowed, (entry.msgid, text)
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == singular, (entry.msgid, entry.msgstr)


def test_makemessages_finds_nothing_new(tmp_path):
    if shutil.which("xgettext") is None:
        unavailable("GNU gettext (xgettext) is not installed: apt-get install gettext")
    tree = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR, tree, ignore=shutil.ignore_patterns(".*", "staticfiles", "node_modules", "__pycache__")
    )
    make = Path(settings.BASE_DIR / "Makefile").read_text()
    options = re.search(r"^MESSAGES_OPTIONS := (.+)$", make, re.MULTILINE).group(1).split()  # the documented command
    subprocess.run([sys.executable, "manage.py", "makemessages", *options], cwd=tree, check=True, capture_output=True)

    for language, path in OWN.items():
        made = polib.pofile(tree / path.relative_to(settings.BASE_DIR))
        committed = polib.pofile(path)
        wanted = {(entry.msgctxt, entry.msgid) for entry in made if not entry.obsolete}
        present = {(entry.msgctxt, entry.msgid) for entry in committed if not entry.obsolete}
        assert wanted == present, f"{language}: run `make messages` and translate"
