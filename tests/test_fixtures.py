"""The documents' fixture: counts, order, quotes found in the documents, references intact."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations.choices import RecommendationKind
from recommendations.models import Assignment, Recommendation

pytestmark = pytest.mark.django_db

SEED_FILES = {
    "CSACVE-2015": "astana-times-cve-conference-2015.txt",
    "CTRT-2016": "osce-roundtable-astana-2016.txt",
}
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "documents.json"


def test_it_holds_both_events_with_dates_and_notes(documents):
    conference, roundtable = Event.objects.order_by("start_date")
    assert (conference.code, str(conference.start_date), str(conference.end_date)) == (
        "CSACVE-2015",
        "2015-06-29",
        "2015-06-30",
    )
    assert "Massimov" in conference.date_note and "September" in conference.date_note
    assert (roundtable.code, str(roundtable.start_date)) == ("CTRT-2016", "2016-02-29")
    assert all(event.date_note for event in (conference, roundtable))
    assert SourceDocument.objects.count() == 2


def test_the_seven_agreed_steps_in_the_documents_order(documents):
    steps = Recommendation.objects.filter(kind=RecommendationKind.AGREED_STEP).order_by("sequence")
    assert [step.code for step in steps] == [f"CSACVE-2015-{n}" for n in range(1, 8)]
    assert steps[0].source_quote.startswith("identifying persons responsible")
    assert steps[6].source_quote.startswith("strengthening the capacity of civil society")
    assert all(step.due_date and step.milestone for step in steps)


def test_proposals_and_the_roundtable_recommendation_are_kept_apart(documents):
    kinds = {kind: Recommendation.objects.filter(kind=kind).count() for kind in RecommendationKind.values}
    assert kinds == {"agreed_step": 7, "proposal": 4, "recommendation": 1}
    single = Recommendation.objects.get(kind=RecommendationKind.RECOMMENDATION)
    assert "does not list its items" in single.source_note


def test_every_quote_is_verbatim_in_its_document(documents, source_texts):
    for rec in Recommendation.objects.select_related("event"):
        text = (source_texts / SEED_FILES[rec.event.code]).read_text(encoding="utf-8")
        assert rec.source_quote in text, rec.code


def test_step_one_is_assigned_to_each_named_country_of_the_region(documents):
    region = ActorGroup.objects.get(slug="central-south-asia")
    assert region.members.count() == 9
    step_one = set(
        Assignment.objects.filter(recommendation__code="CSACVE-2015-1").values_list("actor__iso_code", flat=True)
    )
    assert step_one == set(region.members.values_list("iso_code", flat=True))
    assert Assignment.objects.count() == 10


def test_actors_have_iso_codes_or_parents_as_the_documents_say(documents):
    assert Actor.objects.countries().count() == 12
    penal = Actor.objects.get(name="Committee of the Penal System")
    assert (penal.parent.name, penal.parent.parent.iso_code) == ("Ministry of Internal Affairs of Kazakhstan", "KZ")
    assert set(
        EventParticipation.objects.filter(event__code="CSACVE-2015", role="organiser").values_list(
            "actor__iso_code", flat=True
        )
    ) == {"KZ", "US"}


def test_every_reference_in_the_fixture_points_at_an_object_of_the_fixture():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    present = {(obj["model"], obj["pk"]) for obj in objects}
    references = {
        "parent": "events.actor",
        "actor": "events.actor",
        "host_country": "events.actor",
        "members": "events.actor",
        "event": "events.event",
        "source_document": "events.sourcedocument",
        "themes": "recommendations.theme",
        "recommendation": "recommendations.recommendation",
    }
    for obj in objects:
        for field, model in references.items():
            value = obj["fields"].get(field)
            for pk in value if isinstance(value, list) else [value] if value else []:
                assert (model, pk) in present, (obj["model"], obj["pk"], field, pk)


def test_the_fixture_holds_no_demo_data():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert {obj["fields"].get("dataset", "record") for obj in objects} == {"record"}
    assert not any(obj["model"] in ("recommendations.statusupdate", "auth.user") for obj in objects)
