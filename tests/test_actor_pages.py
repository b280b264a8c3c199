"""The coordinators' pages for countries, bodies, regions and groups: add and edit, the parent chosen
in a tree (an actor cannot go under itself or one of its bodies), the members from the list. Errors
keep what was typed and write nothing; the admin, a page and the API write the same record."""

import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.urls import reverse

from events.models import Actor, ActorGroup
from recommendations import workflow
from tests.admin_forms import form_data
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db

NEW_ACTOR = reverse("coordinate-actor-new")
NEW_REGION = reverse("coordinate-region-new")


def edit_url(actor):
    return reverse("coordinate-actor-edit", args=[actor.pk])


def region_url(group):
    return reverse("coordinate-region-edit", args=[group.pk])


def option(html, value):
    """The <option> of `value` in the parent's select."""
    match = re.search(rf'<option value="{value}"[^>]*>[^<]*</option>', html)
    return match.group(0) if match else None


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def kazakhstan(documents):
    return Actor.objects.get(iso_code="KZ")


@pytest.fixture
def penal(documents):
    """Under the Ministry of Internal Affairs, itself under Kazakhstan."""
    return Actor.objects.get(name="Committee of the Penal System")


def actor_data(actor, **changes):
    """What the edit page posts for `actor` unchanged, with `changes`."""
    data = {
        "name_en": actor.name_en,
        "name_ru": actor.name_ru or "",
        "name_kk": actor.name_kk or "",
        "short_name": actor.short_name,
        "kind": actor.kind,
        "iso_code": actor.iso_code,
        "code": actor.code,
        "parent": actor.parent_id or "",
        "note": actor.note,
    }
    return {**data, **changes}


def test_a_coordinator_adds_a_country(signed_in, documents):
    data = {"name_en": "Mongolia", "name_ru": "Монголия", "kind": "country", "iso_code": "mn", "parent": ""}

    response = signed_in.post(NEW_ACTOR, data, follow=True)

    mongolia = Actor.objects.get(iso_code="MN")  # "mn" meant as MN
    assert response.redirect_chain == [(mongolia.get_absolute_url(), 302)]
    assert (mongolia.name_en, mongolia.name_ru, mongolia.name_kk, mongolia.code) == ("Mongolia", "Монголия", None, "")
    assert "Saved Mongolia." in response.content.decode()


def test_add_a_body_starts_under_the_actor_whose_page_it_was_asked_from(signed_in, kazakhstan):
    html = signed_in.get(kazakhstan.get_absolute_url()).content.decode()
    assert f'href="{NEW_ACTOR}?parent={kazakhstan.pk}"' in html and f'href="{edit_url(kazakhstan)}"' in html

    form = signed_in.get(NEW_ACTOR, {"parent": kazakhstan.pk}).content.decode()
    assert "selected" in option(form, kazakhstan.pk)

    data = {"name_en": "Ministry of Education", "kind": "government_body", "parent": kazakhstan.pk}
    response = signed_in.post(NEW_ACTOR, data)

    body = Actor.objects.get(name_en="Ministry of Education")
    assert response.status_code == 302 and response["Location"] == body.get_absolute_url()
    assert (body.parent, body.code, body.iso_code) == (kazakhstan, "ministry-of-education", "")


def test_the_parent_is_chosen_in_a_tree_without_itself_and_its_own_bodies(signed_in, kazakhstan, penal):
    html = signed_in.get(edit_url(kazakhstan)).content.decode()

    ministry = penal.parent
    # Each body right after the one it belongs to, labelled with the path down to it.
    assert (
        html.index(f'value="{kazakhstan.pk}"')
        < html.index(f'value="{ministry.pk}"')
        < html.index(f'value="{penal.pk}"')
    )
    assert "Kazakhstan › Ministry of Internal Affairs of Kazakhstan › Committee of the Penal System" in option(
        html, penal.pk
    )
    for actor in (kazakhstan, ministry, penal):  # shown, not offered
        assert "disabled" in option(html, actor.pk) and "(itself or one of its bodies)" in option(html, actor.pk)
    assert "disabled" not in option(html, Actor.objects.get(iso_code="KG").pk)
    assert "None: a country or an organisation of its own" in html


def test_a_cycle_is_refused_beside_the_parent_keeping_what_was_typed(signed_in, kazakhstan, penal):
    data = actor_data(kazakhstan, parent=penal.pk, note="Typed before the error")

    response = signed_in.post(edit_url(kazakhstan), data)

    assert response.status_code == 200
    refusal = "Kazakhstan cannot belong to Committee of the Penal System, one of its own bodies."
    assert response.context["form"].errors == {"parent": [refusal]}
    html = response.content.decode()
    assert "Typed before the error" in html and 'id="form-errors"' in html
    kazakhstan.refresh_from_db()
    assert kazakhstan.parent is None and kazakhstan.note != "Typed before the error"


def test_an_actor_under_itself_is_refused(signed_in, penal):
    response = signed_in.post(edit_url(penal), actor_data(penal, parent=penal.pk))

    assert response.context["form"].errors == {"parent": ["Committee of the Penal System cannot belong to itself."]}
    assert Actor.objects.get(pk=penal.pk).parent_id == penal.parent_id


def test_a_body_moves_within_the_tree(signed_in, kazakhstan, penal):
    response = signed_in.post(edit_url(penal), actor_data(penal, parent=kazakhstan.pk, name_kk="Қылмыстық-атқару"))

    assert response.status_code == 302
    penal.refresh_from_db()
    assert (penal.parent, penal.name_kk) == (kazakhstan, "Қылмыстық-атқару")


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"iso_code": ""}, "A country needs a two-letter ISO 3166 code; other actors have none."),
        ({"iso_code": "KG"}, "Another country has this ISO 3166 code."),
        ({"code": "kazakhstan"}, "A country has no code: its ISO 3166 code names it."),
        ({"kind": "government_body"}, "A country needs a two-letter ISO 3166 code; other actors have none."),
    ],
)
def test_the_codes_rules_are_said_and_nothing_is_written(signed_in, kazakhstan, changes, error):
    before = list(Actor.objects.values_list())

    response = signed_in.post(edit_url(kazakhstan), actor_data(kazakhstan, **changes))

    assert response.status_code == 200
    assert error in response.context["form"].non_field_errors()
    assert list(Actor.objects.values_list()) == before


def test_a_bodys_code_already_taken_is_refused(signed_in, penal):
    taken = Actor.objects.exclude(pk=penal.pk).exclude(code="").first().code

    response = signed_in.post(edit_url(penal), actor_data(penal, code=taken))

    assert response.context["form"].non_field_errors() == ["Another body has this code."]


def test_a_coordinator_adds_a_region_with_members_chosen_from_the_list(signed_in, kazakhstan, penal):
    html = signed_in.get(NEW_REGION).content.decode()
    assert f'name="members" value="{penal.pk}"' in html
    assert "Kazakhstan › Ministry of Internal Affairs of Kazakhstan › Committee of the Penal System" in html

    data = {"name_en": "Penal reform partners", "members": [kazakhstan.pk, penal.pk], "description": "Those who met"}
    response = signed_in.post(NEW_REGION, data)

    group = ActorGroup.objects.get(name_en="Penal reform partners")
    assert group.slug == "penal-reform-partners"  # made from the name
    assert set(group.members.all()) == {kazakhstan, penal}
    assert response["Location"] == f"{reverse('actor-list')}?region=penal-reform-partners"
    listed = signed_in.get(response["Location"]).content.decode()
    assert f'href="{region_url(group)}"' in listed and "Edit Penal reform partners" in listed


def test_a_coordinator_changes_a_regions_members(signed_in, documents):
    region = ActorGroup.objects.get(slug="central-south-asia")
    kept = list(region.members.order_by("pk")[:2])
    html = signed_in.get(region_url(region)).content.decode()
    assert re.search(rf'name="members" value="{kept[0].pk}"[^>]*checked', html)

    data = {"name_en": region.name_en, "slug": region.slug, "description": "", "members": [a.pk for a in kept]}
    response = signed_in.post(region_url(region), data)

    assert response.status_code == 302
    assert list(region.members.order_by("pk")) == kept


def test_a_region_in_error_keeps_the_members_ticked(signed_in, kazakhstan, documents):
    taken = ActorGroup.objects.get(slug="central-south-asia")
    data = {"name_en": "Another", "slug": taken.slug, "members": [kazakhstan.pk]}

    response = signed_in.post(NEW_REGION, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["slug"]
    assert re.search(rf'name="members" value="{kazakhstan.pk}"[^>]*checked', response.content.decode())
    assert not ActorGroup.objects.filter(name_en="Another").exists()


def test_a_name_without_latin_letters_needs_its_slug(signed_in, documents):
    response = signed_in.post(NEW_REGION, {"name_en": "Орталық Азия"})

    assert response.context["form"].errors == {
        "slug": ["Give the slug: the English name has no letters or digits to make it from."]
    }


def test_the_actor_list_offers_coordinators_the_pages_and_nobody_else(client, signed_in, viewer, focal_kz):
    assert f'href="{NEW_ACTOR}"' in signed_in.get(reverse("actor-list")).content.decode()
    for user in (viewer, focal_kz):
        client.force_login(user)
        html = client.get(reverse("actor-list"), {"region": "central-south-asia"}).content.decode()
        assert "/coordinate/" not in html
        kazakhstan = Actor.objects.get(iso_code="KZ")
        assert "/coordinate/actors/" not in client.get(kazakhstan.get_absolute_url()).content.decode()


def test_the_workflow_refuses_anyone_but_a_coordinator(viewer, focal_kz, kazakhstan, penal):
    for user in (viewer, focal_kz):
        with pytest.raises(PermissionDenied):
            workflow.save_actor(by=user, actor=penal)
        with pytest.raises(PermissionDenied):
            workflow.save_group(by=user, group=ActorGroup(name="G", slug="g"), members=[kazakhstan])


def test_the_admin_a_page_and_the_api_write_the_same_actor(client, api, coordinator, superuser, kazakhstan):
    """The same new body through each door: the same record but for its id, name and code."""
    fields = ["kind", "parent_id", "short_name", "note", "iso_code", "dataset"]
    data = {"kind": "ngo", "short_name": "", "note": "Same in each", "parent": kazakhstan.pk}

    client.force_login(superuser)
    url = reverse("admin:events_actor_add")
    admin = client.post(url, form_data(client.get(url), name_en="By the admin", dataset="record", **data))
    client.force_login(coordinator)
    page = client.post(NEW_ACTOR, {**data, "name_en": "By a page"})
    by_api = api(coordinator).post("/api/actors/", {**data, "name": "By the API"}, format="json")

    assert (admin.status_code, page.status_code, by_api.status_code) == (302, 302, 201)
    rows = Actor.objects.filter(note="Same in each").order_by("pk")
    assert [row.code for row in rows] == ["by-the-admin", "by-a-page", "by-the-api"]
    assert len({tuple(getattr(row, name) for name in fields) for row in rows}) == 1


needs_postgresql = postgresql_only("needs PostgreSQL: threads cannot wait for a row lock in the suite's SQLite")


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_putting_two_bodies_under_each_other_at_once_make_no_cycle(coordinator):
    first, second = (Actor.objects.create(name=name, kind="ngo") for name in ("First NGO", "Second NGO"))
    saved, release, outcome = threading.Event(), threading.Event(), {}

    def put_first_under_second():  # and keep its transaction open until released
        try:
            with transaction.atomic():
                workflow.save_actor(by=coordinator, actor=moved(first, under=second))
                saved.set()
                release.wait(10)
        finally:
            connections.close_all()

    def put_second_under_first():
        try:
            workflow.save_actor(by=coordinator, actor=moved(second, under=first))
        except ValidationError as error:
            outcome["refused"] = error.message_dict
        finally:
            connections.close_all()

    one, other = threading.Thread(target=put_first_under_second), threading.Thread(target=put_second_under_first)
    one.start()
    assert saved.wait(10)
    other.start()
    other.join(1)
    assert other.is_alive(), "the second writer should wait for the first one's lock"
    release.set()
    one.join(10), other.join(10)

    assert outcome["refused"] == {"parent": ["Second NGO cannot belong to First NGO, one of its own bodies."]}
    assert [Actor.objects.get(pk=first.pk).parent_id, Actor.objects.get(pk=second.pk).parent_id] == [second.pk, None]


def moved(actor, under):
    """The actor as a coordinator's form has it, read in this thread, with its new parent."""
    actor = Actor.objects.get(pk=actor.pk)
    actor.parent = under
    return actor
