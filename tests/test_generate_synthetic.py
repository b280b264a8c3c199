"""The synthetic data set: counts, marks, the workflow's invariant, determinism, --clear, bad arguments."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from benchmarks import synthetic
from cvetracker.datasets import Dataset
from events.choices import ActorKind
from events.models import Actor, Event
from recommendations import workflow
from recommendations.choices import Status, UpdateKind
from recommendations.models import Assignment, Recommendation, StatusUpdate
from tests import factories

TINY = ["--events", "3", "--recommendations", "12", "--actors", "15", "--assignments", "60", "--updates", "400"]
SYNTHETIC = Dataset.SYNTHETIC


def generate(*extra):
    call_command("generate_synthetic", *TINY, *extra, stdout=io.StringIO())


def fingerprint():
    """Everything that makes the data set, by id: equal fingerprints mean equal data sets."""
    return (
        list(Actor.objects.filter(dataset=SYNTHETIC).order_by("id").values_list("id", "name", "iso_code", "parent")),
        list(Recommendation.objects.filter(dataset=SYNTHETIC).order_by("id").values_list("id", "code", "due_date")),
        list(
            Assignment.objects.filter(dataset=SYNTHETIC)
            .order_by("id")
            .values_list("id", "recommendation", "actor", "status", "status_date", "last_update", "assessed_status")
        ),
        list(
            StatusUpdate.objects.filter(dataset=SYNTHETIC)
            .order_by("id")
            .values_list("id", "assignment", "kind", "status", "date", "corrects")
        ),
    )


def test_it_writes_the_counts_asked_for_all_marked_synthetic(documents):
    generate()
    assert Event.objects.filter(dataset=SYNTHETIC).count() == 3
    assert Recommendation.objects.filter(dataset=SYNTHETIC).count() == 12
    assert Actor.objects.filter(dataset=SYNTHETIC).count() == 15
    assert Assignment.objects.filter(dataset=SYNTHETIC).count() == 60
    assert StatusUpdate.objects.filter(dataset=SYNTHETIC).count() == 400
    # Every synthetic assignment hangs off a synthetic recommendation; none is unique-pair broken.
    assert not Assignment.objects.filter(dataset=SYNTHETIC).exclude(recommendation__dataset=SYNTHETIC).exists()
    assert Assignment.objects.filter(dataset=SYNTHETIC).values("recommendation", "actor").distinct().count() == 60


def test_it_keeps_the_workflows_invariant(documents):
    generate()
    assignments = Assignment.objects.filter(dataset=SYNTHETIC).select_related("last_update")
    assert assignments.exclude(status="").exists() and assignments.filter(status="").exists()
    for assignment in assignments:
        report = workflow.latest_update(assignment, UpdateKind.REPORT)
        assessment = workflow.latest_update(assignment, UpdateKind.ASSESSMENT)
        assert assignment.last_update == report
        assert assignment.status == (report.status if report else "")
        assert assignment.status_date == (report.date if report else None)
        assert assignment.assessed_status == (assessment.status if assessment else "")
    # The generator exercised corrections and assessments, so the rule was really tested.
    updates = StatusUpdate.objects.filter(dataset=SYNTHETIC)
    assert updates.filter(corrects__isnull=False).exists()
    assert updates.filter(kind=UpdateKind.ASSESSMENT).exists()


def test_its_updates_follow_the_workflows_rules(documents):
    generate()
    updates = StatusUpdate.objects.filter(dataset=SYNTHETIC).select_related(
        "assignment__recommendation__event", "corrects"
    )
    for update in updates:
        assert update.assignment.recommendation.event.start_date <= update.date <= timezone.localdate()
        if update.status == Status.IMPLEMENTED:
            assert update.evidence_url
        if update.corrects:
            assert update.corrects.assignment_id == update.assignment_id
            assert update.corrects.kind == update.kind
    corrected = updates.filter(corrects__isnull=False).values_list("corrects", flat=True)
    assert len(corrected) == len(set(corrected)), "an update is corrected at most once"


def test_synthetic_countries_never_take_a_real_code(documents):
    real_codes = set(Actor.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    call_command(
        "generate_synthetic",
        "--events",
        "1",
        "--actors",
        "200",
        "--recommendations",
        "0",
        "--assignments",
        "0",
        "--updates",
        "0",
        stdout=io.StringIO(),
    )
    countries = Actor.objects.filter(dataset=SYNTHETIC, kind=ActorKind.COUNTRY)
    codes = set(countries.values_list("iso_code", flat=True))
    assert codes and codes <= set(synthetic.USER_ASSIGNED_CODES)
    assert not codes & real_codes
    # Most synthetic actors are bodies, each under a country or another body.
    bodies = Actor.objects.filter(dataset=SYNTHETIC).exclude(kind=ActorKind.COUNTRY)
    assert bodies.count() > 4 * countries.count()
    assert not bodies.filter(parent__isnull=True).exists()


def test_the_same_seed_gives_the_same_data_set(documents):
    generate("--seed", "7")
    first = fingerprint()
    generate("--seed", "7", "--clear")
    assert fingerprint() == first
    generate("--seed", "8", "--clear")
    assert fingerprint() != first


def test_clear_removes_only_synthetic_rows(documents, coordinator):
    demo_update = factories.report(factories.assignment("CSACVE-2015-2", "KZ", coordinator), coordinator)
    before = (Actor.objects.count(), Event.objects.count(), Assignment.objects.count(), StatusUpdate.objects.count())
    generate()
    call_command("generate_synthetic", "--clear", stdout=io.StringIO())
    after = (Actor.objects.count(), Event.objects.count(), Assignment.objects.count(), StatusUpdate.objects.count())
    assert after == before
    assert StatusUpdate.objects.filter(pk=demo_update.pk).exists()


def test_clear_refuses_when_real_rows_depend_on_synthetic_ones(documents, coordinator):
    generate()
    synthetic_assignment = Assignment.objects.filter(dataset=SYNTHETIC).first()
    factories.report(synthetic_assignment, coordinator, date=timezone.localdate())
    with pytest.raises(CommandError, match="refer to synthetic rows"):
        call_command("generate_synthetic", "--clear", stdout=io.StringIO())
    assert Assignment.objects.filter(pk=synthetic_assignment.pk).exists()


def test_it_refuses_impossible_counts(documents):
    with pytest.raises(CommandError, match="at least one event"):
        call_command("generate_synthetic", "--events", "0", "--recommendations", "5")
    with pytest.raises(CommandError, match="cannot be unique"):
        call_command("generate_synthetic", "--events", "1", "--recommendations", "1", "--assignments", "100000")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("generate_synthetic", "--scale", "XL")
    assert not Assignment.objects.filter(dataset=SYNTHETIC).exists()


@pytest.mark.parametrize("argument", [["--scale", "XL"], ["--updates", "-5"], ["--events", "many"]])
def test_a_bad_argument_exits_non_zero_with_one_line(argument):
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    result = subprocess.run(
        [sys.executable, manage, "generate_synthetic", *argument], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "generate_synthetic: error:" in result.stderr
