"""Content in several languages: columns per language, English fallback, search in any language,
the source quote verbatim in its document's language."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from cvetracker.datasets import Dataset
from events.models import LONG_TEXT_LIMIT, Actor, Event
from recommendations.filters import RecommendationFilterSet
from recommendations.models import Assignment, Recommendation
from recommendations.reads import figures, progress

pytestmark = pytest.mark.django_db
PRISONS = "CSACVE-2015-6"


def found(words):
    return [rec.code for rec in RecommendationFilterSet({"search": words}, Recommendation.objects.all()).qs]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("words", ["тюрьм", "Тюрьм", "ТЮРЬМ", "түрме", "prisons"])
def test_search_finds_the_prison_step_by_words_of_any_language(documents, language, words):
    with translation.override(language):
        assert found(words) == [PRISONS]


def test_a_missing_translation_falls_back_to_english(documents):
    rec = Recommendation.objects.get(code=PRISONS)
    rec.title_kk = None
    rec.save()
    with translation.override("kk"):
        assert (
            Recommendation.objects.get(code=PRISONS).title
            == "Counter radicalisation in prisons and rehabilitate offenders"
        )
    with translation.override("ru"):
        assert Recommendation.objects.get(code=PRISONS).title.startswith("Противодействовать радикализации в тюрьмах")


def test_the_russian_page_shows_the_russian_title_and_the_quote_verbatim_with_its_language(documents, client):
    rec = Recommendation.objects.get(code=PRISONS)
    page = client.get(rec.get_absolute_url(), headers={"accept-language": "ru"}).content.decode()
    assert "Противодействовать радикализации в тюрьмах" in page
    assert f'<blockquote class="quote" lang="en">“{rec.source_quote}”</blockquote>' in page
    assert 'id="translation-note"' in page
    english = client.get(rec.get_absolute_url()).content.decode()
    assert "Counter radicalisation in prisons" in english and 'id="translation-note"' not in english
    assert "Quoted verbatim, in English." in english


def test_the_api_gives_every_language_and_writes_translations(documents, api, coordinator):
    client = api(coordinator)
    body = client.get("/api/recommendations/6/").json()
    assert body["title_ru"].startswith("Противодействовать") and body["title_kk"].startswith("Түрмелердегі")
    assert body["title"] == body["title_en"] and body["source_quote_language"] == "en"
    response = client.patch("/api/events/1/", {"title_kk": "Жаңа атау"}, format="json")
    assert response.status_code == 200, response.content
    assert Event.objects.get(pk=1).title_kk == "Жаңа атау"
    too_long = client.patch("/api/recommendations/6/", {"text_ru": "я" * (LONG_TEXT_LIMIT + 1)}, format="json")
    assert too_long.status_code == 400 and list(too_long.json()) == ["text_ru"]


def test_translated_texts_keep_the_text_limit(documents):
    rec = Recommendation.objects.get(code=PRISONS)
    rec.text_kk = "ж" * (LONG_TEXT_LIMIT + 1)
    with pytest.raises(ValidationError) as error:
        rec.full_clean()
    assert "text_kk" in error.value.message_dict


def test_synthetic_recommendations_have_titles_in_english(documents):
    call_command(
        "generate_synthetic",
        "--events",
        "2",
        "--recommendations",
        "4",
        "--actors",
        "3",
        "--assignments",
        "4",
        "--updates",
        "4",
        stdout=io.StringIO(),
    )
    synthetic = Recommendation.objects.filter(dataset=Dataset.SYNTHETIC)
    assert synthetic.count() == 4
    with translation.override("ru"):
        assert all(rec.title and rec.title == rec.title_en for rec in synthetic)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_matrix_and_the_breakdowns_name_countries_and_events_in_the_readers_language(documents, language):
    # Their names are read across a relation (an assignment's actor, its recommendation's event),
    # which django-modeltranslation does not rewrite: events.translation.in_active_language does.
    with translation.override(language):
        rows = figures.status_matrix(figures.matrix_event()).rows
        by_event = progress.breakdown(Assignment.objects.all(), "event")
        by_actor = progress.breakdown(Assignment.objects.all(), "actor")
        countries = {actor.pk: actor.name for actor in Actor.objects.all()}
        events = {event.pk: event.title for event in Event.objects.all()}

    assert countries[rows[0]["actor"]["pk"]] != Actor.objects.get(pk=rows[0]["actor"]["pk"]).name_en
    assert [row["actor"]["name"] for row in rows] == [countries[row["actor"]["pk"]] for row in rows]
    assert by_event and all(row["label"] == events[row["key"]] for row in by_event)
    assert by_actor and all(row["label"] == countries[row["key"]] for row in by_actor)
