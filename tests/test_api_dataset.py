"""Every object says where it comes from (`dataset`), in JSON and CSV, and every list filters on it,
so researchers can leave out the demo rows that the pages badge."""

import csv
import io

import pytest

from cvetracker.datasets import Dataset
from events.models import Actor, Event
from recommendations import workflow
from recommendations.models import Assignment, Recommendation
from tests.factories import report

pytestmark = pytest.mark.django_db

LISTS = ["events", "actors", "recommendations", "assignments", "status-updates"]


@pytest.fixture
def demo(coordinator, focal_kz):
    """A demo assignment of a recorded recommendation, with a demo report beside a recorded one; and a demo body."""
    Actor.objects.create(name="Demo body", kind="ngo", dataset=Dataset.DEMO)
    Event.objects.filter(code="CTRT-2016").update(dataset=Dataset.DEMO)
    Recommendation.objects.filter(code="CTRT-2016-1").update(dataset=Dataset.DEMO)
    recommendation = Recommendation.objects.get(code="CSACVE-2015-4")
    kz = Actor.objects.get(iso_code="KZ")
    made = workflow.assign(recommendation=recommendation, actors=[kz], by=coordinator, dataset=Dataset.DEMO)
    report(made.created[0], focal_kz, dataset=Dataset.DEMO)
    report(Assignment.objects.get(recommendation__code="CSACVE-2015-1", actor=kz), focal_kz)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_shows_and_filters_by_dataset(api, demo, name):
    everything = api().get(f"/api/{name}/?page_size=500").json()["results"]
    demo_only = api().get(f"/api/{name}/?dataset=demo&page_size=500").json()["results"]
    records = api().get(f"/api/{name}/?dataset=record&page_size=500").json()["results"]

    assert {row["dataset"] for row in everything} == {"record", "demo"}
    assert demo_only and {row["dataset"] for row in demo_only} == {"demo"}
    assert {row["dataset"] for row in records} == {"record"}
    assert len(demo_only) + len(records) == len(everything)


@pytest.mark.parametrize("name", LISTS)
def test_the_csv_has_a_dataset_column(api, demo, name):
    response = api().get(f"/api/{name}/?format=csv&dataset=demo")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows and {row["dataset"] for row in rows} == {"demo"}


def test_the_progress_figures_can_leave_the_demo_out(api, demo):
    total = api().get("/api/progress/").json()["summary"]["total"]
    records = api().get("/api/progress/?dataset=record").json()["summary"]["total"]

    assert records == total - 1


def test_an_unknown_dataset_is_refused(api, documents):
    response = api().get("/api/assignments/?dataset=real")

    assert response.status_code == 400 and "dataset" in response.json()


def test_the_dataset_is_not_written_through_the_api(api, coordinator):
    body = {"code": "EV-9", "title": "Summit", "kind": "summit", "start_date": "2016-09-29", "dataset": "demo"}

    created = api(coordinator).post("/api/events/", body, format="json")

    assert created.status_code == 201 and created.json()["dataset"] == "record"
