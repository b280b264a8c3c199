"""Every word a person reads in a template goes through {% translate %} or {% blocktranslate %}.

Each template is reduced to the HTML it would produce with every template tag and variable blanked
out and every {% blocktranslate %} block and comment dropped; whatever letters remain in that HTML's
text, or in an attribute people read, were written in English and never marked.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

from recommendations.models import Recommendation

# The product's name is the same in every language.
ALLOWED = {"cvetracker"}
# Attributes a person reads or hears (screen readers speak aria-label and title).
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
BUTTON_TYPES = {"submit", "button", "reset"}

TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html", "templates/**/*.txt", "*/templates/**/*.txt")
    for path in Path(settings.BASE_DIR).glob(pattern)
    if ".venv" not in path.parts
)


def skeleton(source):
    """The template's own text: tags and variables become a blank, translated blocks and comments vanish."""
    parts, skipping = [], None
    for token in Lexer(source).tokenize():
        words = token.split_contents() if token.token_type == TokenType.BLOCK else [""]
        if skipping:
            if words[0] == skipping:
                skipping = None
        elif token.token_type == TokenType.BLOCK and words[0] in ("blocktranslate", "blocktrans", "comment"):
            skipping = "end" + words[0]
        elif words[:1] == ["block"] and words[1].endswith("_class"):  # {% block body_class %}: CSS classes
            skipping = "endblock"
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(" ")
    return "".join(parts)


class UntranslatedText(HTMLParser):
    """Collects letters outside scripts and styles, in text and in the attributes people read."""

    def __init__(self):
        super().__init__()
        self.found, self.in_code = [], False

    def handle_starttag(self, tag, attrs):
        self.in_code = tag in ("script", "style")
        attrs = dict(attrs)
        read = {name: value for name, value in attrs.items() if name in READ_ATTRIBUTES}
        if tag == "input" and attrs.get("type") in BUTTON_TYPES:
            read["value"] = attrs.get("value")
        if tag == "meta" and attrs.get("name") == "description":
            read["content"] = attrs.get("content")
        for value in read.values():
            self.check(value or "")

    def handle_endtag(self, tag):
        self.in_code = False

    def handle_data(self, data):
        if not self.in_code:
            self.check(data)

    def check(self, text):
        words = [word for word in text.split() if any(c.isalpha() for c in word) and word not in ALLOWED]
        if words:
            self.found.append(" ".join(words))


def untranslated(source):
    parser = UntranslatedText()
    parser.feed(skeleton(source))
    parser.close()
    return parser.found


def test_the_check_finds_english_text_and_attributes():
    source = '{% load i18n %}<p title="Open">Closed {% translate "Fine" %}</p><script>var a = 1;</script>'
    assert untranslated(source) == ["Open", "Closed"]
    translated_block = "{% blocktranslate %}All {{ n }} here{% endblocktranslate %}"
    assert untranslated(translated_block + '<input type="submit" value="Go"><input type="hidden" value="x">') == ["Go"]
    assert untranslated("{% block body_class %}report{% endblock %}{# A note #}") == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_template_text_is_marked_for_translation(path):
    source = path.read_text()
    assert untranslated(source) == []
    if "translate" in source:
        assert re.search(r"{% load [^%]*\bi18n\b", source), "uses translate tags without {% load i18n %}"


def test_every_template_is_checked():
    assert len(TEMPLATES) > 30


def test_dates_are_worded_by_the_language(client, documents):
    """Pages word dates in the language's own formats (English keeps its own: cvetracker/formats/en)."""
    recommendation = Recommendation.objects.get(code="CSACVE-2015-2")  # due 29 September 2015
    page = client.get(recommendation.get_absolute_url(), headers={"accept-language": "ru"}).text
    listed = client.get(f"/recommendations/?event={recommendation.event_id}", headers={"accept-language": "ru"}).text
    assert "</dt><dd>29 сентября 2015 г." in page  # DATE_FORMAT in sentences
    assert '<time datetime="2015-09-29">29.09.2015</time>' in listed  # SHORT_DATE_FORMAT in tables
