"""Rules the database enforces whatever the caller."""

import pytest
from django.db import IntegrityError, transaction

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation, StatusUpdate

pytestmark = pytest.mark.django_db


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_assignment_per_recommendation_and_actor(documents):
    existing = Assignment.objects.first()
    _refused(lambda: Assignment.objects.create(recommendation=existing.recommendation, actor=existing.actor))


def test_statuses_are_limited_to_the_vocabulary(documents):
    target = Assignment.objects.first()
    _refused(lambda: Assignment.objects.filter(pk=target.pk).update(status="done"))
    _refused(
        lambda: StatusUpdate.objects.bulk_create([StatusUpdate(assignment=target, status="done", date="2016-01-01")])
    )


def test_country_codes_are_unique_and_only_for_countries(documents):
    _refused(lambda: Actor.objects.create(name="Another Kazakhstan", kind="country", iso_code="KZ"))
    _refused(lambda: Actor.objects.create(name="A country without code", kind="country", iso_code=""))
    _refused(lambda: Actor.objects.create(name="A ministry", kind="government_body", iso_code="XM"))


def test_body_codes_are_unique_and_only_for_bodies(documents):
    _refused(lambda: Actor.objects.create(name="Another OSCE", kind="international_organisation", code="osce"))
    _refused(lambda: Actor.objects.filter(iso_code="KZ").update(code="kz"))


def test_every_body_has_a_code_and_a_new_one_gets_its_own(documents):
    bodies = Actor.objects.exclude(kind="country")
    assert not bodies.filter(code="").exists()
    assert not Actor.objects.countries().exclude(code="").exists()
    assert Actor.objects.get(short_name="OSCE").code == "osce"
    office = Actor.objects.get(name="Prime Minister’s Office of Kazakhstan")
    assert office.code == "prime-ministers-office-of-kazakhstan"
    same = {"name": "Organisation for Security", "short_name": "OSCE", "kind": "international_organisation"}
    second, third = Actor.objects.create(**same), Actor.objects.create(**same)
    assert (second.code, third.code) == ("osce-2", "osce-3")
    assert Actor.objects.create(name="Lapis", kind="ngo", code="lapis").code == "lapis"  # a code given is kept


def test_recommendation_codes_and_order_are_unique(documents):
    rec = Recommendation.objects.get(code="CSACVE-2015-1")
    _refused(
        lambda: Recommendation.objects.create(
            event=rec.event,
            code="CSACVE-2015-1",
            sequence=99,
            kind="proposal",
            title="t",
            text="t",
            source_document=rec.source_document,
            source_quote="q",
        )
    )
    _refused(
        lambda: Recommendation.objects.create(
            event=rec.event,
            code="NEW-1",
            sequence=1,
            kind="proposal",
            title="t",
            text="t",
            source_document=rec.source_document,
            source_quote="q",
        )
    )


def test_an_event_cannot_end_before_it_starts(documents):
    _refused(
        lambda: Event.objects.create(
            title="t", code="T-1", kind="meeting", start_date="2016-01-02", end_date="2016-01-01"
        )
    )


def test_quotes_are_checked_against_a_loaded_document_text(documents):
    from django.core.exceptions import ValidationError

    rec = Recommendation.objects.get(code="CTRT-2016-1")
    rec.source_document.text = "Subsequently participants developed a set of recommendations for the parliament."
    rec.source_quote = "participants developed a set of recommendations"
    rec.clean()
    rec.source_quote = "participants agreed on nothing"
    with pytest.raises(ValidationError):
        rec.clean()
