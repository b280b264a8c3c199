"""The webhooks' doors for coordinators: the pages under /coordinate/webhooks/ and /api/webhooks/
(the admin and every role are in tests/test_permission_matrix.py)."""

import pytest
from django.urls import reverse

from tests.factories import assignment
from webhooks.models import Delivery, Endpoint, EventType

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hook"


@pytest.fixture
def hook(coordinator):
    endpoint = Endpoint(url=URL, event_types=[EventType.ASSIGNMENT_CREATED], description="Partner portal")
    endpoint.save()
    assignment("CSACVE-2015-2", "KZ", coordinator)
    return endpoint


def test_a_coordinator_registers_an_endpoint_on_the_pages_and_reads_its_secret(client, coordinator):
    client.force_login(coordinator)

    added = client.post(
        reverse("webhook-create"),
        {"url": URL, "description": "Partner portal", "event_types": ["status_update.recorded"], "active": "on"},
    )

    endpoint = Endpoint.objects.get()
    assert added.status_code == 302 and added["Location"] == reverse("webhook-detail", args=[endpoint.pk])
    assert endpoint.created_by == coordinator and endpoint.event_types == ["status_update.recorded"]
    page = client.get(added["Location"]).content.decode()
    assert endpoint.secret in page and "Partner portal" in page
    assert URL in client.get(reverse("webhook-list")).content.decode()


def test_a_private_address_is_refused_with_the_typed_form_kept(client, coordinator, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    client.force_login(coordinator)

    refused = client.post(reverse("webhook-create"), {"url": URL, "event_types": ["assignment.created"]})

    assert refused.status_code == 200 and not Endpoint.objects.exists()
    page = refused.content.decode()
    assert "public addresses only" in page and f'value="{URL}"' in page


def test_the_delivery_log_shows_each_delivery_and_sends_a_dead_one_again(client, coordinator, hook):
    Delivery.objects.update(status=Delivery.Status.DEAD, attempts=10, last_error="HTTP 500")
    delivery = Delivery.objects.get()
    client.force_login(coordinator)

    log = client.get(reverse("webhook-detail", args=[hook.pk])).content.decode()
    again = client.post(reverse("webhook-send-again", args=[hook.pk, delivery.pk]))

    assert delivery.message_id in log and "HTTP 500" in log and "Send again" in log
    assert again.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0


def test_disabling_by_hand_and_enabling_again(client, coordinator, hook):
    client.force_login(coordinator)
    url = reverse("webhook-edit", args=[hook.pk])
    form = {"url": hook.url, "event_types": hook.event_types}

    client.post(url, form)  # the "active" box unticked
    hook.refresh_from_db()
    disabled = (hook.active, hook.disabled_reason)
    client.post(url, {**form, "active": "on"})
    hook.refresh_from_db()

    assert disabled == (False, "coordinator")
    assert hook.active and hook.disabled_reason == "" and hook.disabled_at is None


def test_rotating_the_secret_makes_a_new_one(client, coordinator, hook):
    client.force_login(coordinator)
    old = hook.secret

    client.post(reverse("webhook-rotate", args=[hook.pk]))

    hook.refresh_from_db()
    assert hook.secret != old and hook.secret.startswith("whsec_")


def test_the_api_registers_lists_and_logs_for_coordinators(api, coordinator, hook):
    client = api(coordinator)

    created = client.post(
        "/api/webhooks/", {"url": URL, "event_types": ["assignment.changed", "assignment.changed"]}, format="json"
    )
    listed = client.get("/api/webhooks/").json()
    log = client.get(f"/api/webhooks/{hook.pk}/deliveries/").json()
    changed = client.patch(f"/api/webhooks/{hook.pk}/", {"active": False}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["event_types"] == ["assignment.changed"] and created.json()["secret"].startswith("whsec_")
    assert Endpoint.objects.get(pk=created.json()["id"]).created_by == coordinator
    assert listed["count"] == 2
    assert [row["event_type"] for row in log["results"]] == ["assignment.created"]
    assert log["results"][0]["payload"]["data"]["actor_name"] == "Kazakhstan"
    assert changed.json()["active"] is False and changed.json()["disabled_reason"] == "coordinator"


def test_the_api_refuses_a_private_address_with_the_field_and_its_message(api, coordinator, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    refused = api(coordinator).post(
        "/api/webhooks/", {"url": URL, "event_types": ["assignment.created"]}, format="json"
    )

    assert refused.status_code == 400 and "public addresses only" in refused.json()["url"][0]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "viewer", "focal_kz"])
def test_others_get_no_webhook_door(request, api, client, role, hook):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user:
        client.force_login(user)

    answers = [api(user).get("/api/webhooks/"), api(user).get(f"/api/webhooks/{hook.pk}/deliveries/")]
    page = client.get(reverse("webhook-list"))

    expected = (401, "not_authenticated") if user is None else (403, "permission_denied")
    assert [(answer.status_code, answer.json()["code"]) for answer in answers] == [expected, expected]
    assert page.status_code == (302 if user is None else 403)
