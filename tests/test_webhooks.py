"""Webhooks: every change writes its deliveries in its own transaction; `deliver_webhooks` sends them
signed per Standard Webhooks to a real receiver on 127.0.0.1, retries, gives up, disables, and
never loses a delivery to a killed worker nor sends one twice at once (real worker processes)."""

import datetime
import ipaddress
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from recommendations import workflow
from tests.factories import assignment, report
from tests.helpers import postgresql_only
from tests.webhook_receiver import Receiver
from webhooks import sending
from webhooks.addresses import check_url
from webhooks.models import Delivery, DisabledReason, Endpoint, EventType

pytestmark = pytest.mark.django_db
NOTE = "CVE-INTERNAL-5521"


@pytest.fixture
def receiver():
    started = []

    def start(answers=(200,), barrier=None):
        started.append(Receiver(answers, barrier))
        return started[-1]

    yield start
    for one in started:
        one.stop()


def endpoint(url, event_types=tuple(EventType.values)):
    made = Endpoint(url=url, event_types=list(event_types))
    made.full_clean()
    made.save()
    return made


def verified(hook, request):
    """The message, if its signature verifies with the endpoint's secret (else WebhookVerificationError)."""
    headers, body = request
    return Webhook(hook.secret).verify(body, headers)


def test_a_receiver_gets_signed_deliveries_of_each_change_that_standardwebhooks_verifies(
    receiver, coordinator, focal_kz
):
    listening = receiver()
    hook = endpoint(listening.url)
    made = assignment("CSACVE-2015-2", "KZ", coordinator)
    update = report(made, focal_kz, internal_note=NOTE, note="Public progress")
    workflow.change_assignment(assignment=made, by=coordinator, expected_version=made.version, note="Checked")
    spare = assignment("CSACVE-2015-3", "KZ", coordinator)
    workflow.unassign(assignment=spare, by=coordinator, expected_version=spare.version)

    call_command("deliver_webhooks", "--once")

    received = [verified(hook, request) for request in listening.requests]
    assert [message["type"] for message in received] == [
        "assignment.created",
        "status_update.recorded",
        "assignment.changed",
        "assignment.created",
        "assignment.removed",
    ]
    recorded = received[1]["data"]
    assert recorded["id"] == update.pk and recorded["note"] == "Public progress"
    assert recorded["internal_note"] is None and recorded["author_name"] is None  # as the public API shows it
    assert recorded["display_url"] == f"{settings.SITE_URL}/assignments/{made.pk}/#update-{update.pk}"
    assert received[2]["data"]["note"] == "Checked" and received[4]["data"]["id"] == spare.pk
    bodies = b"".join(body for _, body in listening.requests).decode()
    assert NOTE not in bodies and "focal-kz" not in bodies
    assert listening.requests[0][0]["content-type"] == "application/json"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SUCCEEDED}
    assert hook.secret.startswith("whsec_")


def test_a_receiver_failing_twice_then_succeeding_gets_the_delivery_once_more(receiver, coordinator):
    listening = receiver([500, 503, 200])
    hook = endpoint(listening.url, [EventType.ASSIGNMENT_CREATED])
    assignment("CSACVE-2015-2", "KZ", coordinator)
    delivery = Delivery.objects.get()

    tried = [sending.deliver_due()]
    delivery.refresh_from_db()
    first_retry = delivery.next_attempt_at - delivery.last_attempt_at
    tried.append(sending.deliver_due())  # not due yet: the backoff
    for _ in range(2):
        Delivery.objects.update(next_attempt_at=timezone.now())  # the backoff made immediate
        tried.append(sending.deliver_due())
        delivery.refresh_from_db()
        if delivery.status == Delivery.Status.FAILED:
            second_retry = delivery.next_attempt_at - delivery.last_attempt_at
    tried.append(sending.deliver_due())

    assert tried == [1, 0, 1, 1, 0]
    assert len(listening.requests) == 3 and len(set(listening.ids())) == 1  # the same message each time
    assert [verified(hook, request)["type"] for request in listening.requests] == ["assignment.created"] * 3
    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.attempts == 3 and delivery.response_status == 200
    # After the outcome (the attempt's own time taken): 60 s, then 120 s.
    assert round(first_retry.total_seconds()) == settings.WEBHOOK_RETRY_SECONDS
    assert round(second_retry.total_seconds()) == 2 * settings.WEBHOOK_RETRY_SECONDS  # exponential
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0 and hook.active


def test_a_delivery_is_given_up_after_the_last_attempt_and_can_be_sent_again(receiver, coordinator, settings):
    settings.WEBHOOK_RETRY_SECONDS, settings.WEBHOOK_MAX_ATTEMPTS = 0, 3
    listening = receiver([500, 500, 500, 200])
    endpoint(listening.url)
    assignment("CSACVE-2015-2", "KZ", coordinator)

    sending.deliver_due()
    dead = Delivery.objects.get()
    tried_when_dead = sending.deliver_due()
    sending.send_again(dead)
    sending.deliver_due()

    assert dead.status == Delivery.Status.DEAD and dead.attempts == 3 and dead.last_error == "HTTP 500"
    assert tried_when_dead == 0
    assert len(listening.requests) == 4
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_an_endpoint_failing_again_and_again_is_disabled(receiver, coordinator, settings):
    settings.WEBHOOK_RETRY_SECONDS, settings.WEBHOOK_DISABLE_AFTER = 0, 4
    listening = receiver([500])
    hook = endpoint(listening.url)
    assignment("CSACVE-2015-2", "KZ", coordinator)

    sending.deliver_due()
    assignment("CSACVE-2015-3", "KZ", coordinator)  # after it was disabled
    sending.deliver_due()

    hook.refresh_from_db()
    assert not hook.active and hook.disabled_reason == DisabledReason.FAILURES and hook.disabled_at is not None
    assert len(listening.requests) == 4 and hook.consecutive_failures == 4
    assert Delivery.objects.get().status == Delivery.Status.FAILED  # kept, should the endpoint be enabled again


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_timeout(receiver, coordinator, settings):
    # A byte every 0.2 s never trips httpx's per-read timeout; the whole exchange has WEBHOOK_TIMEOUT.
    settings.WEBHOOK_TIMEOUT = 1
    trickling = receiver(["trickle"])
    endpoint(trickling.url)
    assignment("CSACVE-2015-2", "KZ", coordinator)

    started = time.monotonic()
    sending.deliver_due()
    took = time.monotonic() - started

    failed = Delivery.objects.get()
    assert failed.status == Delivery.Status.FAILED and failed.last_error == "No answer within 1 s"
    assert took < 5, took  # the receiver would have trickled on for 10 s


def test_a_rolled_back_or_refused_write_leaves_no_delivery(receiver, coordinator, focal_kz):
    made = assignment("CSACVE-2015-1", "KZ", coordinator)
    endpoint(receiver().url, [EventType.STATUS_UPDATE_RECORDED])

    with pytest.raises(RuntimeError), transaction.atomic():
        report(made, focal_kz)
        assert Delivery.objects.count() == 1  # written with the update…
        raise RuntimeError("the caller's transaction fails")
    with pytest.raises(ValidationError):
        report(made, focal_kz, status="implemented")  # no evidence

    assert not Delivery.objects.exists()  # …and rolled back with it


def test_only_active_endpoints_subscribed_to_the_event_get_it(receiver, coordinator, focal_kz):
    listening = receiver()
    updates = endpoint(listening.url, [EventType.STATUS_UPDATE_RECORDED])
    endpoint(listening.url, [EventType.ASSIGNMENT_CREATED])
    disabled = endpoint(listening.url)
    Endpoint.objects.filter(pk=disabled.pk).update(active=False)
    made = assignment("CSACVE-2015-1", "KZ", coordinator)  # the documents' own

    report(made, focal_kz)

    assert list(Delivery.objects.values_list("endpoint", "event_type")) == [
        (updates.pk, EventType.STATUS_UPDATE_RECORDED)
    ]


def test_a_batch_of_reports_writes_a_delivery_per_report_in_one_insert(receiver, coordinator, focal_kz):
    rows = [
        (index, workflow.Report(assignment=assignment(code, "KZ", coordinator), status="in_progress",
                                date=datetime.date(2016, 1, 15), author=focal_kz, internal_note=NOTE))
        for index, code in enumerate(["CSACVE-2015-1", "CSACVE-2015-2", "CSACVE-2015-3"])
    ]  # fmt: skip
    listening = receiver()
    hook = endpoint(listening.url, [EventType.STATUS_UPDATE_RECORDED])

    with CaptureQueriesContext(connection) as captured:
        result = workflow.record_status_updates(rows)
    sending.deliver_due()

    inserts = [query for query in captured if 'INSERT INTO "webhooks_delivery"' in query["sql"]]
    assert len(result.created) == 3 and len(inserts) == 1
    received = [verified(hook, request)["data"] for request in listening.requests]
    assert sorted(data["id"] for data in received) == sorted(update.pk for _, update in result.created)
    assert all(data["internal_note"] is None for data in received)


def test_a_subscribed_endpoint_costs_a_status_update_its_insert_and_its_files(receiver, coordinator, focal_kz):
    made = assignment("CSACVE-2015-1", "KZ", coordinator)
    report(made, focal_kz)  # per-process caches filled

    def cost():
        with CaptureQueriesContext(connection) as captured:
            report(made, focal_kz, note=f"{len(Delivery.objects.all())}")
        return len(captured)

    unsubscribed = cost()
    endpoint(receiver().url, [EventType.STATUS_UPDATE_RECORDED])
    subscribed = cost()

    # The delivery's insert, and the update's evidence files for its payload; the rest of the
    # payload is built from rows the workflow has loaded.
    assert subscribed == unsubscribed + 2


PRIVATE = [
    "http://127.0.0.1/hook",
    "http://localhost:8080/hook",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # the cloud metadata address
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(url, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    with pytest.raises(ValidationError) as refused:
        Endpoint(url=url, event_types=[EventType.ASSIGNMENT_CREATED]).full_clean()

    assert [error.code for error in refused.value.error_dict["url"]] == ["address_refused"]


@pytest.mark.parametrize(
    "url, code",
    [
        ("ftp://example.org/", "scheme"),
        ("http://user:secret@127.0.0.1/", "credentials"),
        ("http://no-such-host.invalid/", "unresolved"),
    ],
)
def test_other_addresses_that_cannot_be_sent_to_are_refused(url, code):
    with pytest.raises(ValidationError) as refused:
        check_url(url)

    assert refused.value.code == code


def test_an_allowed_network_lets_its_addresses_in(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]

    assert check_url("http://10.1.2.3/") == [ipaddress.ip_address("10.1.2.3")]
    with pytest.raises(ValidationError):
        check_url("http://192.168.1.1/")


def test_the_address_is_checked_again_at_delivery(receiver, coordinator, settings):
    listening = receiver()
    endpoint(listening.url)  # registered while loopback was allowed
    assignment("CSACVE-2015-2", "KZ", coordinator)
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # as if the name now resolved to a private address

    sending.deliver_due()

    delivery = Delivery.objects.get()
    assert not listening.requests
    assert delivery.status == Delivery.Status.FAILED and "private" in delivery.last_error


# Real worker processes, on PostgreSQL (SQLite has no row locks: one worker there) ---------------


def _database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(*arguments, **environment):
    env = {**os.environ, "DATABASE_URL": _database_url(), "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", **environment}
    command = [sys.executable, "manage.py", "deliver_webhooks", *arguments]
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@postgresql_only("worker processes read the test database, which they reach on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the roles kept
def test_a_worker_killed_mid_delivery_loses_nothing(receiver, coordinator):
    hanging = receiver(["hang"])
    hook = endpoint(hanging.url)
    assignment("CSACVE-2015-2", "KZ", coordinator)

    # Killed long before its timeout; the lease then runs out on its own, three seconds after the claim.
    worker = _worker(WEBHOOK_TIMEOUT="2", WEBHOOK_LEASE_SECONDS="3")
    try:
        assert hanging.arrived.wait(30), worker.stdout.read() if worker.poll() is not None else "no request"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    leased = Delivery.objects.get()
    answering = receiver([200])
    Endpoint.objects.filter(pk=hook.pk).update(url=answering.url)  # the receiver is back, elsewhere
    during_lease = sending.deliver_due()
    while timezone.now() <= leased.leased_until:
        time.sleep(0.1)
    after_lease = sending.deliver_due()

    assert leased.status == Delivery.Status.PENDING and leased.attempts == 1
    assert leased.leased_until is not None  # the dead worker's lease, left to run out
    assert during_lease == 0 and after_lease == 1
    assert answering.ids() == hanging.ids() == [leased.message_id]  # the same message, sent again
    assert verified(hook, answering.requests[0])["type"] == "assignment.created"
    delivered = Delivery.objects.get()
    assert delivered.status == Delivery.Status.SUCCEEDED and delivered.attempts == 2


@postgresql_only("SELECT … FOR UPDATE SKIP LOCKED is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the roles kept
def test_two_workers_at_once_send_each_delivery_once(receiver, coordinator):
    # The first two requests are held until both are in flight: two workers did send at the same time.
    together = threading.Barrier(2, timeout=60)
    listening = receiver([200], barrier=together)
    endpoint(listening.url)
    for number in range(2, 8):
        assignment(f"CSACVE-2015-{number}", "KZ", coordinator)
        assignment(f"CSACVE-2015-{number}", "KG", coordinator)

    workers = [_worker("--once"), _worker("--once")]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert not together.broken
    ids = listening.ids()
    assert len(ids) == len(set(ids)) == Delivery.objects.count() == 12
    assert sum(int(re.search(r"Tried (\d+) deliveries", output)[1]) for output in outputs) == 12
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SUCCEEDED, 1)}
