"""Every role × every write action × own/other actor, through all three doors: admin, pages, API.

The rule (the brief's roles, as recommendations.permissions states them): coordinators and the
superuser manage events, recommendations and assignments and record any update or assessment; a
focal point records reports on their own actors' assignments only; viewers and anonymous visitors
write nothing; nobody changes or deletes a status update. An allowed write must happen; a refused
one must leave the database exactly as it was. Where a door has no way to make a write (the pages
record status updates, and the coordinators' pages enter meetings and assign), the attempt must
answer 404/405.

Events and recommendations belong to no actor, so their actions have one target; the region holds
both the focal point's country and the other one. Every user but the anonymous visitor is staff
here, so the admin's own permission checks are tested, not only its staff gate.
"""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from events.choices import ActorKind, EventKind
from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from notifications.models import Follow, Notification
from recommendations import permissions, workflow
from recommendations.choices import RecommendationKind, UpdateKind
from recommendations.models import Assignment, Recommendation, StatusUpdate
from reminders.due import digests
from reminders.models import Preference
from tests.admin_forms import form_data, page_form_data
from tests.factories import pdf
from webhooks.models import Delivery, Endpoint, EventType

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal point", "coordinator", "superuser"]
MANAGERS = {"coordinator", "superuser"}
DOORS = ["admin", "pages", "api"]
TODAY = datetime.date(2016, 3, 1)


def allowed(role, action, target):
    if action in ("change status update", "delete status update"):
        return False
    if action == "record status update":
        return role in MANAGERS or (role == "focal point" and target == "own")
    return role in MANAGERS


class World:
    """A small tracker: one country the focal point reports for ("own"), one they do not ("other")."""

    def __init__(self):
        self.actors = {
            "own": Actor.objects.create(name="Kazakhstan", kind=ActorKind.COUNTRY, iso_code="KZ"),
            "other": Actor.objects.create(name="Kyrgyzstan", kind=ActorKind.COUNTRY, iso_code="KG"),
        }
        self.region = ActorGroup.objects.create(name="Central Asia", slug="central-asia")
        self.region.members.set(self.actors.values())
        self.event = Event.objects.create(
            code="EV-1", title="Conference", kind=EventKind.CONFERENCE, start_date=datetime.date(2015, 6, 29)
        )
        self.spare_event = Event.objects.create(
            code="EV-2", title="Roundtable", kind=EventKind.ROUNDTABLE, start_date=datetime.date(2016, 2, 29)
        )
        self.document = SourceDocument.objects.create(event=self.event, title="Article", publisher="Press")
        EventParticipation.objects.create(event=self.event, actor=self.actors["own"], role="organiser")
        self.recommendation, self.spare_recommendation, self.third = (
            Recommendation.objects.create(
                event=self.event,
                code=f"EV-1-{number}",
                sequence=number,
                kind=RecommendationKind.AGREED_STEP,
                title=f"Step {number}",
                text=f"Step {number} in full.",
                source_document=self.document,
                source_quote=f"step {number}",
            )
            for number in (1, 2, 3)
        )
        self.users = {role: self._user(role) for role in ROLES if role != "anonymous"}
        self.users["anonymous"] = AnonymousUser()
        by = self.users["coordinator"]
        # With a report each (the status update targets), and without any (the ones that can be deleted).
        self.assignments = {
            target: workflow.assign(recommendation=self.recommendation, actors=[actor], by=by).created[0]
            for target, actor in self.actors.items()
        }
        self.updates = {
            target: workflow.record_status_update(
                workflow.Report(assignment=assignment, status="in_progress", date=TODAY, author=by)
            )
            for target, assignment in self.assignments.items()
        }
        self.bare_assignments = {
            target: workflow.assign(recommendation=self.third, actors=[actor], by=by).created[0]
            for target, actor in self.actors.items()
        }

    def _user(self, role):
        user = get_user_model().objects.create_user(
            username=role.replace(" ", "-"), is_staff=True, is_superuser=role == "superuser"
        )
        group = {"viewer": permissions.VIEWERS, "focal point": permissions.FOCAL_POINTS}.get(role)
        if role == "coordinator":
            group = permissions.COORDINATORS
        if group:
            user.groups.add(Group.objects.get(name=group))
        if role == "focal point":
            self.actors["own"].focal_points.add(user)
        Token.objects.create(user=user)
        return user

    def client(self, role, door):
        user = self.users[role]
        if door == "api":
            headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Token {user.auth_token.key}"}
            return Client(**headers)
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        return client

    def admin_form(self, url, **changes):
        """The admin form at `url` as the superuser sees it, with `changes`: what a permitted user would post."""
        reader = Client()
        reader.force_login(self.users["superuser"])
        return form_data(reader.get(url), **changes)

    def state(self):
        """Everything a write could touch."""
        models = [Event, EventParticipation, SourceDocument, Recommendation, Assignment, StatusUpdate]
        return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in models}


def _page_form(world, url, **changes):
    """What a coordinators' edit page posts, as the superuser is shown it, with `changes`."""
    reader = Client()
    reader.force_login(world.users["superuser"])
    return page_form_data(reader.get(url).context["form"], **changes)


def _admin(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


# Each action: how each door attempts it, and how to tell it happened. ---------------------------
NEW_EVENT = {"code": "EV-9", "title": "Summit", "kind": "summit", "start_date": "2016-09-29"}
NEW_MEETING = {f"event-{name}": value for name, value in NEW_EVENT.items() if name != "title"}
NEW_MEETING |= {"event-title_en": "Summit", "document-title": "Communiqué", "document-publisher": "Summit"}
NEW_MEETING |= {"document-language": "en", "participants-TOTAL_FORMS": "0", "participants-INITIAL_FORMS": "0"}
NEW_MEETING |= {"recommendations-TOTAL_FORMS": "0", "recommendations-INITIAL_FORMS": "0"}
NEW_RECOMMENDATION = {"code": "EV-1-9", "sequence": "9", "kind": "proposal", "title": "Proposal"}
NEW_RECOMMENDATION |= {"text": "A proposal in full.", "source_quote": "a proposal"}
REPORT = {"status": "partially_implemented", "date": "2016-02-15", "note": "Matrix"}


def _admin_fields(data):
    """The admin has a field per language for translated content (modeltranslation); English is the source's."""
    return {f"{name}_en" if name in ("title", "text", "name") else name: value for name, value in data.items()}


def create_event(world, client, door, target):
    if door == "admin":
        url = _admin(Event, "add")
        return client.post(url, world.admin_form(url, **_admin_fields(NEW_EVENT), dataset="record"))
    if door == "pages":  # the coordinators' page that enters a meeting: the event with its document
        return client.post(reverse("coordinate-meeting"), NEW_MEETING)
    return _json(client, "post", "/api/events/", NEW_EVENT)


def change_event(world, client, door, target):
    event = world.event
    if door == "admin":
        url = _admin(Event, "change", event.pk)
        return client.post(url, world.admin_form(url, place="Changed place"))
    if door == "pages":  # the coordinators' edit page, posted as shown with the change
        url = reverse("coordinate-event-edit", args=[event.pk])
        return client.post(url, _page_form(world, url, place="Changed place"))
    return _json(client, "patch", f"/api/events/{event.pk}/", {"place": "Changed place"})


def delete_event(world, client, door, target):
    event = world.spare_event
    if door == "admin":
        return client.post(_admin(Event, "delete", event.pk), {"post": "yes"})
    if door == "pages":
        return client.delete(event.get_absolute_url())
    return client.delete(f"/api/events/{event.pk}/")


def create_recommendation(world, client, door, target):
    data = {**NEW_RECOMMENDATION, "event": world.event.pk, "source_document": world.document.pk}
    if door == "admin":
        url = _admin(Recommendation, "add")
        return client.post(url, world.admin_form(url, **_admin_fields(data), dataset="record"))
    if door == "pages":
        return client.post(reverse("recommendation-list"), data)
    return _json(client, "post", "/api/recommendations/", data)


def change_recommendation(world, client, door, target):
    recommendation = world.recommendation
    if door == "admin":
        url = _admin(Recommendation, "change", recommendation.pk)
        return client.post(url, world.admin_form(url, milestone="Changed"))
    if door == "pages":
        url = reverse("coordinate-recommendation-edit", args=[recommendation.pk])
        return client.post(url, _page_form(world, url, milestone="Changed"))
    return _json(client, "patch", f"/api/recommendations/{recommendation.pk}/", {"milestone": "Changed"})


def delete_recommendation(world, client, door, target):
    recommendation = world.spare_recommendation
    if door == "admin":
        return client.post(_admin(Recommendation, "delete", recommendation.pk), {"post": "yes"})
    if door == "pages":
        return client.delete(recommendation.get_absolute_url())
    return client.delete(f"/api/recommendations/{recommendation.pk}/")


def create_assignment(world, client, door, target):
    data = {"recommendation": world.spare_recommendation.pk, "actor": world.actors[target].pk, "role": "lead"}
    if door == "admin":
        return client.post(_admin(Assignment, "add"), {**data, "due_date": "", "note": ""})
    if door == "pages":  # the form on the recommendation's page
        url = reverse("coordinate-recommendation-assign", args=[world.spare_recommendation.pk])
        return client.post(url, {"actors": [world.actors[target].pk], "role": "lead"})
    return _json(client, "post", "/api/assignments/", data)


def change_assignment(world, client, door, target):
    assignment = world.assignments[target]
    if door == "admin":
        url = _admin(Assignment, "change", assignment.pk)
        return client.post(url, world.admin_form(url, role="supporting"))
    if door == "pages":
        url = reverse("coordinate-assignment-edit", args=[assignment.pk])
        return client.post(url, _page_form(world, url, role="supporting"))
    return _json(
        client, "patch", f"/api/assignments/{assignment.pk}/", {"role": "supporting", "version": assignment.version}
    )


def delete_assignment(world, client, door, target):
    assignment = world.bare_assignments[target]
    if door == "admin":
        return client.post(_admin(Assignment, "delete", assignment.pk), {"post": "yes"})
    if door == "pages":
        return client.delete(assignment.get_absolute_url())
    return client.delete(f"/api/assignments/{assignment.pk}/?version={assignment.version}")


def assign_to_region(world, client, door, target):
    recommendation = world.spare_recommendation
    if door == "admin":
        action = {"action": "assign_to_region", "_selected_action": [recommendation.pk], "apply": "1"}
        return client.post(_admin(Recommendation, "changelist"), {**action, "group": world.region.pk, "role": "lead"})
    if door == "pages":  # the form on the event's page
        data = {"recommendations": [recommendation.pk], "group": world.region.pk, "role": "lead"}
        return client.post(reverse("coordinate-event-assign", args=[world.event.pk]), data)
    body = {"recommendation": recommendation.pk, "region": world.region.slug}
    return _json(client, "post", "/api/assignments/assign-region/", body)


def _record(world, client, door, target, kind):
    assignment = world.assignments[target]
    if door == "admin":
        data = {**REPORT, "assignment": assignment.pk, "kind": kind, "evidence_url": "", "internal_note": ""}
        return client.post(_admin(StatusUpdate, "add"), data)
    if door == "pages":
        return client.post(assignment.get_absolute_url(), {**REPORT, "kind": kind})
    return _json(client, "post", "/api/status-updates/", {**REPORT, "assignment": assignment.pk, "kind": kind})


def record_status_update(world, client, door, target):
    return _record(world, client, door, target, UpdateKind.REPORT)


def record_assessment(world, client, door, target):
    return _record(world, client, door, target, UpdateKind.ASSESSMENT)


def change_status_update(world, client, door, target):
    update = world.updates[target]
    if door == "admin":
        return client.post(_admin(StatusUpdate, "change", update.pk), {**REPORT, "assignment": update.assignment_id})
    if door == "pages":
        return client.put(update.assignment.get_absolute_url(), {"update": update.pk, **REPORT})
    return _json(client, "patch", f"/api/status-updates/{update.pk}/", {"note": "Rewritten"})


def delete_status_update(world, client, door, target):
    update = world.updates[target]
    if door == "admin":
        return client.post(_admin(StatusUpdate, "delete", update.pk), {"post": "yes"})
    if door == "pages":
        return client.delete(update.assignment.get_absolute_url(), {"update": update.pk})
    return client.delete(f"/api/status-updates/{update.pk}/")


def _reported(world, target, kind):
    return world.assignments[target].updates.filter(kind=kind, note="Matrix").exists()


# action: (attempt, whether it happened, targets)
ACTIONS = {
    "create event": (create_event, lambda w, t: Event.objects.filter(code="EV-9").exists(), ["—"]),
    "change event": (change_event, lambda w, t: Event.objects.filter(place="Changed place").exists(), ["—"]),
    "delete event": (delete_event, lambda w, t: not Event.objects.filter(pk=w.spare_event.pk).exists(), ["—"]),
    "create recommendation": (
        create_recommendation,
        lambda w, t: Recommendation.objects.filter(code="EV-1-9").exists(),
        ["—"],
    ),
    "change recommendation": (
        change_recommendation,
        lambda w, t: Recommendation.objects.filter(milestone="Changed").exists(),
        ["—"],
    ),
    "delete recommendation": (
        delete_recommendation,
        lambda w, t: not Recommendation.objects.filter(pk=w.spare_recommendation.pk).exists(),
        ["—"],
    ),
    "create assignment": (
        create_assignment,
        lambda w, t: Assignment.objects.filter(recommendation=w.spare_recommendation, actor=w.actors[t]).exists(),
        ["own", "other"],
    ),
    "change assignment": (
        change_assignment,
        lambda w, t: Assignment.objects.get(pk=w.assignments[t].pk).role == "supporting",
        ["own", "other"],
    ),
    "delete assignment": (
        delete_assignment,
        lambda w, t: not Assignment.objects.filter(pk=w.bare_assignments[t].pk).exists(),
        ["own", "other"],
    ),
    "assign to region": (
        assign_to_region,
        lambda w, t: Assignment.objects.filter(recommendation=w.spare_recommendation).count() == 2,
        ["region"],
    ),
    "record status update": (
        record_status_update,
        lambda w, t: _reported(w, t, UpdateKind.REPORT),
        ["own", "other"],
    ),
    "record assessment": (
        record_assessment,
        lambda w, t: _reported(w, t, UpdateKind.ASSESSMENT),
        ["own", "other"],
    ),
    "change status update": (
        change_status_update,
        lambda w, t: StatusUpdate.objects.get(pk=w.updates[t].pk).note != "",
        ["own", "other"],
    ),
    "delete status update": (
        delete_status_update,
        lambda w, t: not StatusUpdate.objects.filter(pk=w.updates[t].pk).exists(),
        ["own", "other"],
    ),
}
# The pages record status updates and assessments; the coordinators' pages (/coordinate/) enter a
# meeting, assign, and edit events, recommendations and assignments. They have no door for any other
# write (bulk changes of assignments: below).
PAGE_DOORS = {
    "record status update",
    "record assessment",
    "create event",
    "change event",
    "change recommendation",
    "create assignment",
    "change assignment",
    "assign to region",
}


def _cases():
    for action, (_, _, targets) in ACTIONS.items():
        for target in targets:
            for role in ROLES:
                for door in DOORS:
                    yield pytest.param(role, action, door, target, id=f"{role}-{action}-{door}-{target}")


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize("role, action, door, target", list(_cases()))
def test_the_door_allows_exactly_what_the_role_may(world, role, action, door, target):
    attempt, happened, _ = ACTIONS[action]
    before = world.state()

    response = attempt(world, world.client(role, door), door, target)

    if door == "pages" and action not in PAGE_DOORS:
        assert response.status_code in (404, 405), f"the pages have no door to {action}"
        assert world.state() == before
    elif allowed(role, action, target):
        assert response.status_code in (200, 201, 204, 302), response.content[:500]
        assert "/login/" not in response.get("Location", "")
        assert happened(world, target), f"{role} may {action} ({target}) through the {door}, but it did not happen"
    else:
        assert response.status_code in (200, 302, 401, 403, 405), response.content[:500]  # 200: a form error
        if response.status_code == 302:
            assert "/login/" in response["Location"]  # signed out: sent to sign in, nothing written
        assert world.state() == before, f"{role} may not {action} ({target}) through the {door}, but something changed"


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_open_the_edit_pages(world, role):
    """The matrix above posts to them; their forms (GET) are the coordinators' too."""
    pages = [
        reverse("coordinate-event-edit", args=[world.event.pk]),
        reverse("coordinate-recommendation-edit", args=[world.recommendation.pk]),
        reverse("coordinate-assignment-edit", args=[world.assignments["own"].pk]),
    ]
    shown = [world.client(role, "pages").get(url) for url in pages]
    if role in MANAGERS:
        assert [page.status_code for page in shown] == [200, 200, 200]
    elif role == "anonymous":
        assert all(page.status_code == 302 and page["Location"].startswith(reverse("login")) for page in shown)
    else:
        assert [page.status_code for page in shown] == [403, 403, 403]


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_above_is_what_permissions_py_says(world, role):
    user = world.users[role]
    for target, assignment in world.assignments.items():
        assert permissions.can_report(user, assignment) == allowed(role, "record status update", target)
        assert permissions.can_report(user, assignment, UpdateKind.ASSESSMENT) == allowed(
            role, "record assessment", target
        )
        assert permissions.is_coordinator(user) == allowed(role, "change assignment", target)
    for action in ("add", "change", "delete"):
        for model in ("events.event", "recommendations.recommendation"):
            assert user.has_perm(model.replace(".", f".{action}_")) == allowed(role, f"{action} event", "—")


# Importing status updates from a spreadsheet: the pages (upload, then confirm) and the API -----
# record a row exactly where the reporting form would (the same rule: can_report), nothing else.


def import_report(world, client, door, target):
    """Upload a sheet of one report on the target's assignment and confirm it."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["id", "update_status", "update_date", "update_note"])
    workbook.active.append([world.assignments[target].pk, "in_progress", TODAY, "Matrix"])
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = "updates.xlsx"
    if door == "api":
        return client.post("/api/imports/updates/", {"file": file})
    uploaded = client.post("/imports/updates/", {"file": file})
    if uploaded.status_code != 302 or "/login/" in uploaded["Location"]:
        return uploaded
    return client.post(uploaded["Location"])


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("door", ["pages", "api"])
@pytest.mark.parametrize("role", ROLES)
def test_an_import_records_exactly_what_the_role_may_report(world, role, door, target):
    before = world.state()

    response = import_report(world, world.client(role, door), door, target)

    if allowed(role, "record status update", target):
        assert response.status_code in (201, 302), response.content[:500]
        assert _reported(world, target, UpdateKind.REPORT)
    else:
        assert response.status_code in (200, 302, 401, 403, 422), response.content[:500]  # 200, 422: the row refused
        if response.status_code == 302:
            assert "/login/" in response["Location"]
        assert world.state() == before
    assert permissions.can_import_updates(world.users[role]) == (role in MANAGERS or role == "focal point")


# Importing an event's recommendations and assignments: coordinators only, on the pages and the API.


def import_recommendations(world, client, door):
    """Upload a sheet adding a recommendation to the event, assigned to both countries, and confirm it."""
    from openpyxl import Workbook

    workbook = Workbook()
    header = ["recommendation.code", "recommendation.kind", "recommendation.title_en", "recommendation.text_en"]
    workbook.active.append([*header, "recommendation.source_quote", "actor.iso_code"])
    for iso in ("KZ", "KG"):
        workbook.active.append(["EV-1-9", "agreed_step", "Step 9", "Step 9 in full.", "step 9", iso])
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = "event.xlsx"
    if door == "api":
        return client.post("/api/imports/recommendations/", {"file": file, "event": world.event.pk})
    uploaded = client.post(f"/imports/recommendations/{world.event.pk}/", {"file": file})
    if uploaded.status_code != 302 or "/login/" in uploaded["Location"]:
        return uploaded
    return client.post(uploaded["Location"])


@pytest.mark.parametrize("door", ["pages", "api"])
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_import_recommendations(world, role, door):
    before = world.state()
    client = world.client(role, door)
    # The template from the API, the upload page from the pages (a token signs in to the API alone).
    url = "/api/imports/recommendations/template/" if door == "api" else f"/imports/recommendations/{world.event.pk}/"
    first = client.get(url, {"event": world.event.pk})

    response = import_recommendations(world, client, door)

    if role in MANAGERS:
        assert first.status_code == 200
        assert response.status_code in (201, 302), response.content[:500]
        assert Assignment.objects.filter(recommendation__code="EV-1-9").count() == 2
    else:
        assert first.status_code in ((302,) if role == "anonymous" and door == "pages" else (401, 403))
        assert response.status_code in ((302,) if role == "anonymous" and door == "pages" else (401, 403))
        if response.status_code == 302:
            assert "/login/" in response["Location"]
        assert world.state() == before
    assert permissions.can_import_recommendations(world.users[role]) == (role in MANAGERS)


# Reading: every role × every sensitive field × every door -------------------------------------
#
# The read rules (recommendations.permissions): authors' names are for signed-in users; internal
# notes for viewers, coordinators, the superuser and the focal points of the assignment's actor
# and of the bodies above and below it (not a sibling body, not another country); users' e-mail
# addresses are in no door, the audit trail included. The printable report shows neither authors
# nor internal notes to anyone. The assignment is the middle body of Kazakhstan → Ministry →
# Committee; every signed-in user is staff, so the admin's own checks are what is tested.

READ_ROLES = {
    "anonymous": None,
    "viewer": None,
    "focal point own": "Ministry",
    "focal point of the body above": "Kazakhstan",
    "focal point of a body below": "Committee",
    "focal point of a sibling body": "Justice",
    "focal point other country": "Kyrgyzstan",
    "coordinator": None,
    "superuser": None,
}
NOTE_READERS = {"viewer", "coordinator", "superuser", "focal point own"} | {
    "focal point of the body above",
    "focal point of a body below",
}
# What gives each field away: the author's full name or login name (the admin shows the latter), the
# note's text, any user's address. The author is none of the readers, whose own name the pages show.
MARKERS = {
    "author name": ("Aigerim Sadykova", "reporter-aigerim"),
    "internal note": ("CVE-DETAIL-7731",),
    "e-mail": ("@mail.example",),
}
READ_DOORS = ["page", "api", "api expand", "csv", "printable report", "admin"]


def may_see(role, field, door):
    if field == "e-mail" or door == "printable report" or role == "anonymous":
        return False
    return field == "author name" or role in NOTE_READERS


class ReadWorld:
    def __init__(self):
        kazakhstan = Actor.objects.create(name="Kazakhstan", kind=ActorKind.COUNTRY, iso_code="KZ")
        ministry = Actor.objects.create(name="Ministry", kind="government_body", parent=kazakhstan)
        self.actors = {
            "Kazakhstan": kazakhstan,
            "Ministry": ministry,
            "Committee": Actor.objects.create(name="Committee", kind="government_body", parent=ministry),
            "Justice": Actor.objects.create(name="Justice", kind="government_body", parent=kazakhstan),
            "Kyrgyzstan": Actor.objects.create(name="Kyrgyzstan", kind=ActorKind.COUNTRY, iso_code="KG"),
        }
        self.event = Event.objects.create(code="EV-1", title="Conference", kind="conference", start_date=TODAY)
        document = SourceDocument.objects.create(event=self.event, title="Article", publisher="Press")
        self.recommendation = Recommendation.objects.create(
            event=self.event, code="EV-1-1", sequence=1, kind="agreed_step", title="Step", text="Step.",
            source_document=document, source_quote="step",
        )  # fmt: skip
        self.users = {role: self._user(role, actor) for role, actor in READ_ROLES.items() if role != "anonymous"}
        self.users["anonymous"] = AnonymousUser()
        author = self._user("reporter aigerim", "Ministry")
        author.first_name, author.last_name = "Aigerim", "Sadykova"
        author.save()
        self.author = author
        self.assignment = workflow.assign(
            recommendation=self.recommendation, actors=[ministry], by=self.users["coordinator"]
        ).created[0]
        self.update = workflow.record_status_update(
            workflow.Report(
                assignment=self.assignment,
                status="in_progress",
                date=TODAY,
                author=author,
                internal_note="CVE-DETAIL-7731",
            )
        )
        # Through requests, so the audit trail names its authors: a user's e-mail changed, an assignment's note.
        admin = self.client("superuser")
        url = reverse("admin:auth_user_change", args=[author.pk])
        assert admin.post(url, form_data(admin.get(url), email="changed@mail.example")).status_code == 302
        change = {"note": "Checked", "version": self.assignment.version}
        assert (
            _json(self.client("coordinator"), "patch", f"/api/assignments/{self.assignment.pk}/", change).status_code
            == 200
        )

    def _user(self, role, actor):
        username = role.replace(" ", "-")
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@mail.example", is_staff=True, is_superuser=role == "superuser"
        )
        group = {"viewer": permissions.VIEWERS, "coordinator": permissions.COORDINATORS}.get(role)
        group = group or (permissions.FOCAL_POINTS if actor else None)  # the rest: anonymous, the superuser
        if group:
            user.groups.add(Group.objects.get(name=group))
        if actor:
            self.actors[actor].focal_points.add(user)
        return user

    def client(self, role):
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def urls(self, door):
        update, assignment = self.update, self.assignment
        user_entries = LogEntry.objects.get_for_object(self.author)
        return {
            "page": [assignment.get_absolute_url(), self.recommendation.get_absolute_url(), reverse("dashboard")],
            "api": [f"/api/status-updates/{update.pk}/", f"/api/assignments/{assignment.pk}/"],
            "api expand": ["/api/status-updates/?expand=assignment", "/api/assignments/?expand=actor,recommendation"],
            "csv": ["/api/status-updates/?format=csv", "/api/assignments/?format=csv&expand=actor"],
            "printable report": [reverse("event-report", args=[self.event.pk])],
            "admin": [
                _admin(StatusUpdate, "change", update.pk),
                _admin(Assignment, "change", assignment.pk),
                _admin(LogEntry, "changelist"),
                *(_admin(LogEntry, "change", entry.pk) for entry in user_entries),
                _admin(get_user_model(), "history", self.author.pk),
            ],
        }[door]

    def read(self, role, door):
        client, text = self.client(role), []
        for url in self.urls(door):
            response = client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            text.append(b"".join(response.streaming_content) if response.streaming else response.content)
        return b"\n".join(text).decode()


@pytest.mark.parametrize("door", READ_DOORS)
@pytest.mark.parametrize("role", READ_ROLES)
def test_each_reader_sees_exactly_the_sensitive_fields_the_role_may(role, door):
    world = ReadWorld()

    shown = world.read(role, door)

    for field, markers in MARKERS.items():
        expected = may_see(role, field, door)
        seen = any(marker in shown for marker in markers)
        assert seen == expected, f"{role} {'should' if expected else 'must not'} see the {field} ({door})"


@pytest.mark.parametrize("role", READ_ROLES)
def test_the_read_rules_above_are_what_permissions_py_says(role):
    world = ReadWorld()
    user = world.users[role]

    assert permissions.can_see_authors(user) == may_see(role, "author name", "api")
    assert permissions.can_read_internal_note(user, world.assignment) == may_see(role, "internal note", "api")


# Evidence files: the download (web/evidence.py) --------------------------------------------------
#
# A file goes to exactly those who may see its status update (permissions.can_see_update): every
# role while PUBLIC_READ is on; when it is off, the anonymous visitor is sent to the log-in page (as
# from every page, whether the file exists or not). Nobody writes through the download.


@pytest.mark.parametrize("public_read", [True, False], ids=["public", "not public"])
@pytest.mark.parametrize("role", READ_ROLES)
def test_an_evidence_file_goes_to_whoever_may_see_its_update(role, public_read, settings, evidence_storage):
    settings.PUBLIC_READ = public_read
    world = ReadWorld()
    report = workflow.Report(
        assignment=world.assignment, status="implemented", date=TODAY, author=world.author, files=(pdf(),)
    )
    evidence = workflow.record_status_update(report).files.get()
    client = world.client(role)

    response = client.get(evidence.get_absolute_url())

    may = role != "anonymous" or public_read
    assert permissions.can_see_update(world.users[role], evidence.update) == may
    if may:
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(evidence.get_absolute_url()).status_code in (302, 405)  # never a write


# Reminders: the settings page and the digests -----------------------------------------------
#
# The reminders' settings page is every signed-in user's own (anonymous visitors go to the log-in
# page), and a post changes only the poster's choice. A digest (the e-mail door) names only what
# its recipient may report on (permissions.can_report): a focal point their own actor's overdue
# assignment, coordinators and the superuser every overdue one, viewers nothing.

REMINDED = {"focal point": {"own"}, "coordinator": {"own", "other"}, "superuser": {"own", "other"}}


@pytest.mark.parametrize("role", ROLES)
def test_the_reminder_settings_page_is_each_signed_in_users_own(world, role):
    client, url = world.client(role, "pages"), reverse("reminder-settings")

    shown, posted = client.get(url), client.post(url, {})

    if role == "anonymous":
        assert shown.status_code == posted.status_code == 302 and shown.url.startswith(reverse("login"))
        assert not Preference.objects.exists()
    else:
        assert shown.status_code == 200 and posted.status_code == 302
        assert list(Preference.objects.values_list("user", "send_reminders")) == [(world.users[role].pk, False)]


@pytest.mark.parametrize("role", ROLES)
def test_a_digest_names_only_what_its_recipient_may_report_on(world, role):
    for bare in world.bare_assignments.values():  # overdue tomorrow, never reported
        workflow.change_assignment(
            assignment=bare, by=world.users["coordinator"], expected_version=bare.version, due_date=TODAY
        )
    for user in world.users.values():
        if user.is_authenticated:
            user.email = f"{user.username}@mail.example"
            user.save()

    sent = {digest.recipient.username: digest for digest in digests(today=TODAY + datetime.timedelta(days=1))}

    digest = sent.get(role.replace(" ", "-"))
    items = digest.items if digest else []
    targets = {actor.pk: target for target, actor in world.actors.items()}
    assert {targets[item.assignment.actor_id] for item in items} == REMINDED.get(role, set())
    assert {item.assignment.recommendation for item in items} <= {world.third}


# Bulk changes on the assignment list: coordinators only --------------------------------------
#
# Each action over the ticked rows and over every row the filters match: coordinators and the
# superuser change them; a focal point and a viewer get 403 and an anonymous visitor the log-in
# page, and nothing changes. Only coordinators see the form on the list.

BULK_ACTIONS = {
    "due date": ({"action": "due_date", "due_date": "2016-12-31"}, lambda a: str(a.due_date) == "2016-12-31"),
    "role": ({"action": "role", "role": "supporting"}, lambda a: a.role == "supporting"),
    "remove": ({"action": "remove"}, lambda a: not Assignment.objects.filter(pk=a.pk).exists()),
}


@pytest.mark.parametrize("scope", ["selected", "matching"])
@pytest.mark.parametrize("action", BULK_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_change_assignments_in_bulk(world, role, action, scope):
    client = world.client(role, "pages")
    targets = list(world.bare_assignments.values())  # no updates: each action may apply to them
    fields, happened = BULK_ACTIONS[action]
    data = {"scope": scope, "due_date": "", "role": "lead", **fields, "selected": [a.pk for a in targets]}
    data.update({f"version-{a.pk}": a.version for a in targets})
    before = world.state()

    listed = client.get(f"/assignments/?recommendation={world.third.pk}")
    response = client.post(f"{reverse('coordinate-assignment-bulk')}?recommendation={world.third.pk}", data)

    if role in MANAGERS:
        assert 'form="bulk-form"' in listed.content.decode()
        assert response.status_code == 200, response.content[:300]
        now = {a.pk: a for a in Assignment.objects.filter(pk__in=[a.pk for a in targets])}
        assert all(happened(now.get(a.pk, a)) for a in targets)
    else:
        assert 'form="bulk-form"' not in listed.content.decode()
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        assert world.state() == before


# Focal points: the coordinators' pages that invite and unlink them -------------------------------
#
# Coordinators and the superuser open both pages and their POSTs write; a focal point and a viewer
# get 403 and an anonymous visitor the log-in page, on every GET and POST, and nothing changes (no
# account, no link, no mail). The actor's page lists its focal points to the first two only.


def _focal_links(world):
    return sorted(world.actors["own"].focal_points.values_list("username", flat=True))


def _invite(world, client):
    url = reverse("coordinate-actor-invite", args=[world.actors["own"].pk])
    return client.post(url, {"name": "New Person", "email": "new@mail.example", "language": "kk"})


def _unlink(world, client):
    focal = world.users["focal point"]
    return client.post(reverse("coordinate-actor-unlink", args=[world.actors["own"].pk, focal.pk]))


FOCAL_POINT_WRITES = {
    "invite": (_invite, lambda w: get_user_model().objects.filter(email="new@mail.example").exists()),
    "unlink": (_unlink, lambda w: "focal-point" not in _focal_links(w)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", FOCAL_POINT_WRITES)
def test_only_coordinators_invite_and_unlink_focal_points(world, role, write, smtp):
    client = world.client(role, "pages")
    own, focal = world.actors["own"], world.users["focal point"]
    pages = [
        reverse("coordinate-actor-invite", args=[own.pk]),
        reverse("coordinate-actor-unlink", args=[own.pk, focal.pk]),
    ]
    users, links = sorted(get_user_model().objects.values_list("username", flat=True)), _focal_links(world)
    attempt, happened = FOCAL_POINT_WRITES[write]

    shown = [client.get(url) for url in pages]
    response = attempt(world, client)

    if role in MANAGERS:
        assert [page.status_code for page in shown] == [200, 200]
        assert response.status_code == 302 and happened(world)
    else:
        expected = 302 if role == "anonymous" else 403
        assert {page.status_code for page in shown} | {response.status_code} == {expected}
        if role == "anonymous":
            assert all(answer["Location"].startswith(reverse("login")) for answer in [*shown, response])
        assert sorted(get_user_model().objects.values_list("username", flat=True)) == users
        assert _focal_links(world) == links and smtp.messages == []


@pytest.mark.parametrize("role", ROLES)
def test_an_actors_focal_points_are_listed_to_coordinators_only(world, role):
    get_user_model().objects.filter(username="focal-point").update(email="focal@mail.example")

    page = world.client(role, "pages").get(world.actors["own"].get_absolute_url()).content.decode()

    assert ('id="focal-points-heading"' in page) == (role in MANAGERS)
    assert ("focal@mail.example" in page) == (role in MANAGERS)
    assert permissions.can_manage_focal_points(world.users[role]) == (role in MANAGERS)


# Countries, bodies, regions and groups: the coordinators' pages that add and edit them ------------
#
# Coordinators and the superuser open the four pages and their POSTs write (workflow.save_actor,
# save_group: permissions.can_manage_actors); a focal point and a viewer get 403 and an anonymous
# visitor the log-in page, on every GET and POST, and no actor or group changes.


def _actors_and_groups():
    return sorted(map(repr, Actor.objects.values_list())), sorted(
        (group.pk, group.name, group.slug, tuple(group.members.order_by("pk").values_list("pk", flat=True)))
        for group in ActorGroup.objects.all()
    )


def _actor_pages(world):
    own = world.actors["own"]
    return {
        "add actor": (reverse("coordinate-actor-new"), {"name_en": "Tajikistan", "kind": "country", "iso_code": "TJ"}),
        "edit actor": (
            reverse("coordinate-actor-edit", args=[own.pk]),
            {"name_en": "Kazakhstan", "kind": "country", "iso_code": "KZ", "note": "Edited"},
        ),
        "add region": (reverse("coordinate-region-new"), {"name_en": "Steppe", "members": [own.pk]}),
        "edit region": (
            reverse("coordinate-region-edit", args=[world.region.pk]),
            {"name_en": "Central Asia", "slug": "central-asia", "members": [own.pk]},
        ),
    }


ACTOR_WRITES = {
    "add actor": lambda w: Actor.objects.filter(iso_code="TJ").exists(),
    "edit actor": lambda w: Actor.objects.get(pk=w.actors["own"].pk).note == "Edited",
    "add region": lambda w: ActorGroup.objects.filter(slug="steppe").exists(),
    "edit region": lambda w: list(w.region.members.all()) == [w.actors["own"]],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", ACTOR_WRITES)
def test_only_coordinators_add_and_edit_actors_and_regions(world, role, write):
    client, pages = world.client(role, "pages"), _actor_pages(world)
    before = _actors_and_groups()

    shown = [client.get(url) for url, _ in pages.values()]
    url, data = pages[write]
    response = client.post(url, data)

    if role in MANAGERS:
        assert [page.status_code for page in shown] == [200] * 4
        assert response.status_code == 302, response.content[:500]
        assert ACTOR_WRITES[write](world)
    else:
        expected = 302 if role == "anonymous" else 403
        assert {page.status_code for page in shown} | {response.status_code} == {expected}
        if role == "anonymous":
            assert all(answer["Location"].startswith(reverse("login")) for answer in [*shown, response])
        assert _actors_and_groups() == before
    assert permissions.can_manage_actors(world.users[role]) == (role in MANAGERS)


# Webhooks: coordinators and the superuser only (permissions.can_manage_webhooks), through the admin,
# the pages (/coordinate/webhooks/) and the API. Reading an endpoint shows its signing secret, so
# reading is as guarded as writing. "Send again" (a dead delivery) is on the pages only.

HOOK_URL = "http://127.0.0.1:9/hook"


class HookWorld(World):
    def __init__(self):
        super().__init__()
        self.hook = Endpoint(url=HOOK_URL, event_types=[EventType.ASSIGNMENT_CREATED])
        self.hook.save()
        self.dead = Delivery.objects.create(
            endpoint=self.hook, event_type=EventType.ASSIGNMENT_CREATED, message_id="msg_matrix", payload={},
            status=Delivery.Status.DEAD, attempts=10,
        )  # fmt: skip

    def state(self):
        return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in (Endpoint, Delivery)}


NEW_HOOK = {"url": "http://127.0.0.1:9/new", "description": "", "event_types": ["assignment.created"], "active": "on"}


def create_endpoint(world, client, door):
    if door == "admin":
        return client.post(_admin(Endpoint, "add"), NEW_HOOK)
    if door == "pages":
        return client.post(reverse("webhook-create"), NEW_HOOK)
    return _json(client, "post", "/api/webhooks/", {"url": NEW_HOOK["url"], "event_types": NEW_HOOK["event_types"]})


def change_endpoint(world, client, door):
    changed = {"url": HOOK_URL, "description": "Changed", "event_types": ["assignment.created"], "active": "on"}
    if door == "admin":
        return client.post(_admin(Endpoint, "change", world.hook.pk), changed)
    if door == "pages":
        return client.post(reverse("webhook-edit", args=[world.hook.pk]), changed)
    return _json(client, "patch", f"/api/webhooks/{world.hook.pk}/", {"description": "Changed"})


def rotate_secret(world, client, door):
    if door == "admin":
        action = {"action": "rotate_secrets", "_selected_action": [world.hook.pk]}
        return client.post(_admin(Endpoint, "changelist"), action)
    if door == "pages":
        return client.post(reverse("webhook-rotate", args=[world.hook.pk]))
    return client.post(f"/api/webhooks/{world.hook.pk}/rotate-secret/")


def send_again(world, client, door):
    return client.post(reverse("webhook-send-again", args=[world.hook.pk, world.dead.pk]))


HOOK_ACTIONS = {
    "create endpoint": (create_endpoint, lambda w: Endpoint.objects.filter(url=NEW_HOOK["url"]).exists(), DOORS),
    "change endpoint": (change_endpoint, lambda w: Endpoint.objects.get(pk=w.hook.pk).description == "Changed", DOORS),
    "rotate secret": (rotate_secret, lambda w: Endpoint.objects.get(pk=w.hook.pk).secret != w.hook.secret, DOORS),
    "send again": (send_again, lambda w: Delivery.objects.get(pk=w.dead.pk).status == "pending", ["pages"]),
}


def _hook_cases():
    for action, (_, _, doors) in HOOK_ACTIONS.items():
        for door in doors:
            for role in ROLES:
                yield pytest.param(role, action, door, id=f"{role}-{action}-{door}")


@pytest.mark.parametrize("role, action, door", list(_hook_cases()))
def test_only_coordinators_manage_webhooks_through_any_door(role, action, door):
    world = HookWorld()
    attempt, happened, _ = HOOK_ACTIONS[action]
    before = world.state()

    response = attempt(world, world.client(role, door), door)

    if role in MANAGERS:
        assert response.status_code in (200, 201, 302), response.content[:500]
        assert "/login/" not in response.get("Location", "")
        assert happened(world), f"{role} may {action} through the {door}, but it did not happen"
    else:
        assert response.status_code in (302, 401, 403), response.content[:500]
        if response.status_code == 302:
            assert "/login/" in response["Location"]
        assert world.state() == before, f"{role} may not {action} through the {door}, but something changed"
    assert permissions.can_manage_webhooks(world.users[role]) == (role in MANAGERS)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_read_an_endpoint_its_secret_and_its_log(role, door):
    world = HookWorld()
    client = world.client(role, door)
    urls = {
        "admin": [_admin(Endpoint, "change", world.hook.pk), _admin(Delivery, "changelist")],
        "pages": [reverse("webhook-list"), reverse("webhook-detail", args=[world.hook.pk])],
        "api": [f"/api/webhooks/{world.hook.pk}/", f"/api/webhooks/{world.hook.pk}/deliveries/"],
    }[door]

    answers = [client.get(url) for url in urls]

    shown = b"".join(answer.content for answer in answers).decode()
    if role in MANAGERS:
        assert [answer.status_code for answer in answers] == [200, 200]
        assert world.hook.secret in shown and "msg_matrix" in shown
    else:
        assert {answer.status_code for answer in answers} <= {302, 401, 403}
        assert world.hook.secret not in shown and "msg_matrix" not in shown


# Notifications: following and the notifications page are every signed-in user's own
# (permissions.can_follow); anonymous visitors go to the log-in page, on GET and POST, and nothing
# is written. Of the World's two coordinator reports, the focal point is told of their own actor's
# (a coordinator's report on their assignment), nobody else of either (nobody follows anything).

FOLLOWED = {
    "event": lambda w: w.event,
    "actor": lambda w: w.actors["own"],
    "recommendation": lambda w: w.recommendation,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", FOLLOWED)
def test_following_and_the_notifications_page_are_each_signed_in_users_own(world, role, target):
    client, followed = world.client(role, "pages"), FOLLOWED[target](world)
    follow_url = reverse(f"{target}-follow", args=[followed.pk])

    answers = [client.post(follow_url, {"action": "follow"}), client.get(reverse("notifications"))]
    answers.append(client.post(reverse("notifications"), {}))

    if role == "anonymous":
        assert all(answer.status_code == 302 and answer.url.startswith(reverse("login")) for answer in answers)
        assert not Follow.objects.exists() and not Preference.objects.exists()
    else:
        assert [answer.status_code for answer in answers] == [302, 200, 302]
        assert [(follow.user, follow.target) for follow in Follow.objects.all()] == [(world.users[role], followed)]
        assert list(Preference.objects.values_list("user", "send_digests")) == [(world.users[role].pk, False)]


def test_only_the_focal_point_is_told_of_a_coordinators_report_on_their_actor(world):
    told = set(Notification.objects.values_list("recipient__username", "update", "reason"))

    assert told == {("focal-point", world.updates["own"].pk, Notification.Reason.ASSIGNMENT)}
