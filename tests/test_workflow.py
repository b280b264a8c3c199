"""Each rule of recommendations.workflow, allowed and refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import Actor, ActorGroup
from recommendations import workflow
from recommendations.choices import Status, UpdateKind
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests.factories import assignment, report

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 1, 15)


def _errors(excinfo):
    return excinfo.value.message_dict


def test_it_assigns_a_recommendation_to_an_actor_with_its_due_date(coordinator):
    rec = Recommendation.objects.get(code="CSACVE-2015-3")
    result = workflow.assign(recommendation=rec, actors=[Actor.objects.get(iso_code="KG")], by=coordinator)
    created = result.created[0]
    assert created.actor.iso_code == "KG"
    assert created.due_date == rec.due_date
    assert created.status == ""


def test_it_keeps_existing_assignments_when_assigning_again(coordinator):
    rec = Recommendation.objects.get(code="CSACVE-2015-1")
    result = workflow.assign(recommendation=rec, actors=Actor.objects.filter(iso_code__in=["KG", "US"]), by=coordinator)
    assert [a.actor.iso_code for a in result.created] == ["US"]
    assert [a.iso_code for a in result.existing] == ["KG"]
    assert Assignment.objects.filter(recommendation=rec).count() == 10


def test_it_assigns_to_every_country_of_a_region(coordinator):
    rec = Recommendation.objects.get(code="CSACVE-2015-2")
    region = ActorGroup.objects.get(slug="central-south-asia")
    result = workflow.assign_to_group(recommendation=rec, group=region, by=coordinator)
    assert len(result.created) == 9
    assert set(Assignment.objects.filter(recommendation=rec).values_list("actor__iso_code", flat=True)) == {
        "AF",
        "BD",
        "KZ",
        "KG",
        "IN",
        "PK",
        "LK",
        "TJ",
        "UZ",
    }


def test_it_refuses_to_assign_to_nobody(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        workflow.assign(recommendation=Recommendation.objects.first(), actors=[], by=coordinator)
    assert "actors" in _errors(excinfo)


@pytest.mark.parametrize("user", ["focal_kz", "viewer"])
def test_only_coordinators_assign(request, user):
    user = request.getfixturevalue(user)
    with pytest.raises(PermissionDenied):
        workflow.assign(
            recommendation=Recommendation.objects.first(), actors=[Actor.objects.get(iso_code="KZ")], by=user
        )


def test_it_records_an_update_and_keeps_the_current_status_in_step(focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    update = report(target, focal_kz, Status.IN_PROGRESS, DAY, note="Started")
    target.refresh_from_db()
    assert (target.status, target.status_date, target.last_update) == (Status.IN_PROGRESS, DAY, update)
    assert update.author == focal_kz


def test_the_latest_dated_update_sets_the_status_even_if_recorded_first(focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    report(target, focal_kz, Status.STALLED, datetime.date(2016, 5, 1))
    report(target, focal_kz, Status.IN_PROGRESS, datetime.date(2016, 1, 1))
    target.refresh_from_db()
    assert target.status == Status.STALLED


def test_a_focal_point_reports_for_sub_bodies_of_their_country(focal_kz, coordinator):
    parliament = Assignment.objects.get(recommendation__code="CTRT-2016-1")
    assert parliament.actor.parent.iso_code == "KZ"
    report(parliament, focal_kz, Status.IN_PROGRESS, datetime.date(2016, 3, 1))
    parliament.refresh_from_db()
    assert parliament.status == Status.IN_PROGRESS


def test_a_focal_point_cannot_report_for_another_country(focal_kz):
    target = assignment("CSACVE-2015-1", "KG", None)
    with pytest.raises(PermissionDenied):
        report(target, focal_kz)
    assert not StatusUpdate.objects.exists()


def test_viewers_and_anonymous_cannot_report(viewer):
    from django.contrib.auth.models import AnonymousUser

    target = assignment("CSACVE-2015-1", "KG", None)
    for user in (viewer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            report(target, user)


def test_a_coordinator_may_report_on_any_assignment(coordinator):
    target = assignment("CSACVE-2015-1", "KG", None)
    report(target, coordinator, Status.NOT_STARTED)
    target.refresh_from_db()
    assert target.status == Status.NOT_STARTED


def test_implemented_needs_evidence(focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    with pytest.raises(ValidationError) as excinfo:
        report(target, focal_kz, Status.IMPLEMENTED)
    assert "evidence" in _errors(excinfo)["evidence_url"][0]
    report(target, focal_kz, Status.IMPLEMENTED, evidence_url="https://example.org/decree")
    target.refresh_from_db()
    assert target.status == Status.IMPLEMENTED


def test_an_unknown_status_is_refused(focal_kz):
    with pytest.raises(ValidationError) as excinfo:
        report(assignment("CSACVE-2015-1", "KZ", None), focal_kz, "done")
    assert "Unknown status" in _errors(excinfo)["status"][0]


def test_a_date_in_the_future_is_refused(focal_kz):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        report(assignment("CSACVE-2015-1", "KZ", None), focal_kz, date=tomorrow)
    assert "future" in _errors(excinfo)["date"][0]


def test_a_date_before_the_event_is_refused(focal_kz):
    with pytest.raises(ValidationError) as excinfo:
        report(assignment("CSACVE-2015-1", "KZ", None), focal_kz, date=datetime.date(2015, 6, 28))
    assert "before the event" in _errors(excinfo)["date"][0]
    report(assignment("CSACVE-2015-1", "KZ", None), focal_kz, date=datetime.date(2015, 6, 29))


def test_a_correction_replaces_the_update_it_corrects(focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    wrong = report(target, focal_kz, Status.STALLED, datetime.date(2016, 5, 1))
    report(target, focal_kz, Status.IN_PROGRESS, datetime.date(2016, 1, 1))
    fix = report(target, focal_kz, Status.NOT_STARTED, datetime.date(2016, 4, 1), corrects=wrong)
    target.refresh_from_db()
    # The corrected update no longer counts, although it is still the latest by date.
    assert (target.status, target.last_update) == (Status.NOT_STARTED, fix)
    assert StatusUpdate.objects.filter(assignment=target).count() == 3


def test_a_correction_must_be_of_the_same_assignment(focal_kz):
    other = report(assignment("CSACVE-2015-1", "KZ", None), focal_kz)
    parliament = Assignment.objects.get(recommendation__code="CTRT-2016-1")
    with pytest.raises(ValidationError) as excinfo:
        report(parliament, focal_kz, corrects=other)
    assert "same assignment" in _errors(excinfo)["corrects"][0]


def test_an_update_is_corrected_only_once(focal_kz):
    target = assignment("CSACVE-2015-1", "KZ", None)
    first = report(target, focal_kz)
    report(target, focal_kz, corrects=first)
    with pytest.raises(ValidationError) as excinfo:
        report(target, focal_kz, corrects=first)
    assert "already been corrected" in _errors(excinfo)["corrects"][0]


def test_only_coordinators_record_assessments(focal_kz, coordinator):
    target = assignment("CSACVE-2015-1", "KZ", None)
    with pytest.raises(PermissionDenied):
        report(target, focal_kz, kind=UpdateKind.ASSESSMENT)
    report(target, focal_kz, Status.IMPLEMENTED, evidence_url="https://example.org/e")
    report(target, coordinator, Status.PARTIALLY_IMPLEMENTED, kind=UpdateKind.ASSESSMENT)
    target.refresh_from_db()
    # The assessment stands beside the self-report; it does not replace it.
    assert (target.status, target.assessed_status) == (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED)


def test_status_updates_are_append_only(focal_kz):
    update = report(assignment("CSACVE-2015-1", "KZ", None), focal_kz)
    update.note = "rewritten"
    with pytest.raises(ValidationError):
        update.save()
    with pytest.raises(ValidationError):
        update.delete()
    assert StatusUpdate.objects.get(pk=update.pk).note == ""


def test_change_assignment_refuses_a_stale_version(coordinator):
    target = assignment("CSACVE-2015-1", "KZ", None)
    workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="first")
    with pytest.raises(ValidationError) as excinfo:
        workflow.change_assignment(assignment=target, by=coordinator, expected_version=1, note="second")
    assert excinfo.value.code == "stale"
    target.refresh_from_db()
    assert (target.note, target.version) == ("first", 2)


def test_change_assignment_refuses_fields_it_does_not_own(coordinator):
    with pytest.raises(ValidationError):
        workflow.change_assignment(
            assignment=assignment("CSACVE-2015-1", "KZ", None), by=coordinator, expected_version=1, status="x"
        )


def test_unassign_keeps_assignments_with_history(coordinator):
    target = assignment("CSACVE-2015-1", "KZ", None)
    report(target, coordinator)
    target.refresh_from_db()
    with pytest.raises(ValidationError) as kept:
        workflow.unassign(assignment=target, by=coordinator, expected_version=target.version)
    assert kept.value.code == "has_updates"
    fresh = assignment("CSACVE-2015-3", "KZ", coordinator)
    workflow.unassign(assignment=fresh, by=coordinator, expected_version=fresh.version)
    assert not Assignment.objects.filter(pk=fresh.pk).exists()


def test_unassign_requires_the_version_read(coordinator):
    fresh = assignment("CSACVE-2015-3", "KZ", coordinator)
    read = fresh.version
    workflow.change_assignment(assignment=fresh, by=coordinator, expected_version=read, note="Changed meanwhile.")
    for version in (None, read):
        with pytest.raises(ValidationError) as stale:
            workflow.unassign(assignment=fresh, by=coordinator, expected_version=version)
        assert stale.value.code == "stale"
    assert Assignment.objects.filter(pk=fresh.pk).exists()


@pytest.mark.parametrize(
    "arguments, field, code",
    [
        ({"status": Status.IMPLEMENTED}, "evidence_url", "evidence_required"),
        ({"status": "done"}, "status", "unknown_status"),
        ({"date": datetime.date(2015, 6, 28)}, "date", "date_before_event"),
        ({"date": datetime.date.max}, "date", "date_in_future"),
    ],
)
def test_each_broken_rule_has_a_stable_code(focal_kz, arguments, field, code):
    """Pages, the API and later translations rely on the codes, not on the English wording."""
    with pytest.raises(ValidationError) as excinfo:
        report(assignment("CSACVE-2015-1", "KZ", None), focal_kz, **arguments)
    assert [error.code for error in excinfo.value.error_dict[field]] == [code]
