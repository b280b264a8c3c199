"""Rules on what is typed in, applied by every door (API, pages, admin) through the models:
text limits, and an actor hierarchy without cycles."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from events.models import LONG_TEXT_LIMIT, NOTE_LIMIT, Actor, SourceDocument
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests.admin_forms import form_data
from tests.factories import assignment

pytestmark = pytest.mark.django_db

UNLIMITED = {SourceDocument._meta.get_field("text")}  # a document's full text


def _text_fields():
    for model in [*apps.get_app_config("events").get_models(), *apps.get_app_config("recommendations").get_models()]:
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field not in UNLIMITED:
                yield field


@pytest.mark.parametrize("field", list(_text_fields()), ids=str)
def test_every_text_field_has_a_limit(field):
    limits = [validator.limit_value for validator in field.validators if validator.code == "max_length"]

    assert limits and limits[0] in (NOTE_LIMIT, LONG_TEXT_LIMIT)


def test_the_documents_fit_the_limits(documents):
    for model in (Actor, Recommendation, Assignment):
        for obj in model.objects.all():
            obj.full_clean()


# Text limits, door by door -------------------------------------------------------------------


def _update(target, **fields):
    return {"assignment": target.pk, "status": "in_progress", "date": "2016-01-15", **fields}


@pytest.mark.parametrize("field", ["note", "internal_note"])
def test_the_api_refuses_a_status_update_note_over_the_limit(api, focal_kz, field):
    target = assignment("CSACVE-2015-1", "KZ", None)
    client = api(focal_kz)

    too_long = client.post("/api/status-updates/", _update(target, **{field: "x" * (NOTE_LIMIT + 1)}))
    assert not StatusUpdate.objects.exists()
    at_limit = client.post("/api/status-updates/", _update(target, **{field: "x" * NOTE_LIMIT}))

    label = "The note" if field == "note" else "The internal note"
    assert too_long.status_code == 400
    assert too_long.json() == {field: [f"{label} can be at most 5000 characters long (it has 5001)."]}
    assert at_limit.status_code == 201


def test_the_api_refuses_an_assignment_note_over_the_limit(api, coordinator):
    client = api(coordinator)
    long_note = "x" * (NOTE_LIMIT + 1)
    existing = assignment("CSACVE-2015-1", "KZ", None)

    created = client.post(
        "/api/assignments/", {"recommendation": existing.recommendation_id, "actor": 50, "note": long_note}
    )
    changed = client.patch(f"/api/assignments/{existing.pk}/", {"note": long_note, "version": existing.version})

    for response in (created, changed):
        assert response.status_code == 400
        assert response.json() == {"note": ["The note can be at most 5000 characters long (it has 5001)."]}
    assert not Assignment.objects.filter(actor_id=50).exists()
    existing.refresh_from_db()
    assert existing.note != long_note


def test_the_api_refuses_a_recommendation_text_over_the_limit(api, coordinator):
    recommendation = Recommendation.objects.get(code="CSACVE-2015-1")

    response = api(coordinator).patch(f"/api/recommendations/{recommendation.pk}/", {"text": "x" * 20_001})

    assert response.status_code == 400
    assert response.json() == {"text": ["The text can be at most 20000 characters long (it has 20001)."]}


def test_the_page_shows_the_limit_beside_the_note_and_keeps_it(client, focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    client.force_login(focal_kz)
    note = ("Working group met. " * 300).strip()  # 5,699 characters

    response = client.post(target.get_absolute_url(), {"status": "in_progress", "date": "2016-01-15", "note": note})

    assert response.status_code == 200
    assert "The note can be at most 5000 characters long (it has 5699)." in response.text
    assert f">\n{note}</textarea>" in response.text
    assert not StatusUpdate.objects.exists()


def test_the_admin_shows_the_limit_beside_the_field(client, superuser):
    kazakhstan = Actor.objects.get(iso_code="KZ")
    client.force_login(superuser)
    url = reverse("admin:events_actor_change", args=[kazakhstan.pk])

    response = client.post(url, form_data(client.get(url), note="x" * (NOTE_LIMIT + 1)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["note"] == [
        "The note can be at most 5000 characters long (it has 5001)."
    ]


# No actor is its own sub-body ----------------------------------------------------------------


@pytest.fixture
def kazakhstan(documents):
    return Actor.objects.get(iso_code="KZ")


@pytest.fixture
def penal_committee(documents):
    """Under the Ministry of Internal Affairs, itself under Kazakhstan."""
    return Actor.objects.get(name="Committee of the Penal System")


def test_the_api_refuses_a_parent_that_would_make_a_cycle(api, coordinator, kazakhstan, penal_committee):
    client = api(coordinator)

    under_itself = client.patch(f"/api/actors/{kazakhstan.pk}/", {"parent": kazakhstan.pk})
    under_its_body = client.patch(f"/api/actors/{kazakhstan.pk}/", {"parent": penal_committee.pk})

    assert under_itself.status_code == under_its_body.status_code == 400
    assert under_itself.json() == {"parent": ["Kazakhstan cannot belong to itself."]}
    assert under_its_body.json() == {
        "parent": ["Kazakhstan cannot belong to Committee of the Penal System, one of its own bodies."]
    }
    kazakhstan.refresh_from_db()
    assert kazakhstan.parent is None


def test_the_admin_refuses_a_parent_that_would_make_a_cycle(client, superuser, kazakhstan, penal_committee):
    client.force_login(superuser)
    url = reverse("admin:events_actor_change", args=[kazakhstan.pk])

    response = client.post(url, form_data(client.get(url), parent=str(penal_committee.pk)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "Kazakhstan cannot belong to Committee of the Penal System, one of its own bodies."
    ]
    kazakhstan.refresh_from_db()
    assert kazakhstan.parent is None


def test_a_body_can_still_move_within_the_hierarchy(api, coordinator, kazakhstan, penal_committee):
    response = api(coordinator).patch(f"/api/actors/{penal_committee.pk}/", {"parent": kazakhstan.pk})

    assert response.status_code == 200
    penal_committee.refresh_from_db()
    assert penal_committee.parent == kazakhstan
