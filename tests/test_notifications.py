"""Following events, actors and recommendations; who is told of a new status update
(notifications/notices.py); `manage.py send_digests` against a real SMTP server (the `smtp`
fixture): one digest per user, in their language, once only however often or however many at once
it runs; the follow buttons, the notifications page and the stop link."""

import datetime
import re
import threading
from io import StringIO

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from events.models import Actor, Event
from notifications import follows, notices
from notifications.models import Follow, Notification
from recommendations import workflow
from recommendations.choices import UpdateKind
from recommendations.models import Recommendation
from reminders.models import Preference
from tests.factories import actor, assignment, report
from tests.helpers import postgresql_only

pytestmark = pytest.mark.django_db

SITE = "https://tracker.example.org"
Reason = Notification.Reason


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _person(user, language=None):
    user.email = f"{user.username}@mail.example"
    user.save()
    if language:
        Profile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def people(coordinator, focal_kz, focal_kg, viewer):
    _person(coordinator)
    _person(focal_kz, "ru")
    _person(focal_kg)
    _person(viewer)
    return {"coordinator": coordinator, "focal-kz": focal_kz, "focal-kg": focal_kg, "viewer": viewer}


def _told():
    """{(recipient, update's actor key, reason)} of every notification."""
    rows = Notification.objects.values_list(
        "recipient__username", "update__assignment__actor__iso_code", "update__assignment__actor__code", "reason"
    )
    return {(user, iso or code, reason) for user, iso, code, reason in rows}


def _send(*args):
    out = StringIO()
    call_command("send_digests", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _by_recipient(messages):
    return {message["to"][0].split("@")[0]: message["message"] for message in messages}


def _body(message):
    return message.get_content().replace("\r\n", "\n")


# Who is told ---------------------------------------------------------------------------------


def test_followers_of_the_event_actor_or_recommendation_are_told_once_each_and_the_author_never(people):
    coordinator, focal_kg, viewer = people["coordinator"], people["focal-kg"], people["viewer"]
    recommendation = Recommendation.objects.get(code="CSACVE-2015-1")
    follows.follow(viewer, recommendation.event)
    follows.follow(viewer, recommendation)  # two reasons: told once, for the closer one
    follows.follow(focal_kg, actor("KZ"))  # a country includes its bodies, at any depth
    follows.follow(coordinator, recommendation.event)  # the author
    penal = assignment("CSACVE-2015-1", "committee-of-the-penal-system", coordinator)

    report(penal, coordinator, "in_progress")

    assert _told() == {
        ("viewer", "committee-of-the-penal-system", Reason.RECOMMENDATION),
        ("focal-kg", "committee-of-the-penal-system", Reason.ACTOR),
        # Kazakhstan's focal point reports for the committee, two levels below their country.
        ("focal-kz", "committee-of-the-penal-system", Reason.ASSIGNMENT),
    }


def test_an_actors_focal_points_are_told_of_a_coordinators_report_and_assessment_not_of_their_own(people):
    coordinator, focal_kz = people["coordinator"], people["focal-kz"]
    kz = assignment("CSACVE-2015-1", "KZ", coordinator)

    own = report(kz, focal_kz, "in_progress")
    assert not Notification.objects.exists()  # they reported it themselves; Kyrgyzstan's is not told

    on_behalf = report(kz, coordinator, "in_progress", date=datetime.date(2016, 2, 1))
    assessment = report(kz, coordinator, "not_started", kind=UpdateKind.ASSESSMENT)
    told = Notification.objects.filter(recipient=focal_kz)
    assert set(told.values_list("update", "reason")) == {
        (on_behalf.pk, Reason.ASSIGNMENT),
        (assessment.pk, Reason.ASSIGNMENT),
    }
    assert not Notification.objects.filter(update=own).exists()
    assert not Notification.objects.exclude(recipient=focal_kz).exists()


def test_those_who_may_not_read_are_not_told(people, settings):
    settings.PUBLIC_READ = False
    coordinator, focal_kg = people["coordinator"], people["focal-kg"]
    follows.follow(focal_kg, Event.objects.get(code="CSACVE-2015"))
    focal_kg.is_active = False  # a deactivated account reads nothing
    focal_kg.save()

    report(assignment("CSACVE-2015-1", "KG", coordinator), coordinator, "in_progress")

    assert not Notification.objects.exists()


def test_a_batch_is_told_in_a_constant_number_of_queries(people, documents):
    coordinator = people["coordinator"]
    rows = [
        (
            number,
            workflow.Report(
                assignment=assignment(code, iso, coordinator),
                status="in_progress",
                date=datetime.date(2016, 1, 15),
                author=coordinator,
            ),
        )
        for number, (code, iso) in enumerate(
            [(f"CSACVE-2015-{n}", iso) for n in range(1, 6) for iso in ("KZ", "KG", "TJ", "UZ")]
        )
    ]
    follows.follow(people["viewer"], Event.objects.get(code="CSACVE-2015"))

    def queries(batch):
        updates = [workflow._vetted_update(report) for _, report in batch]
        for update in updates:
            update.save()
        with CaptureQueriesContext(connection) as captured:
            notices.tell(updates)
        return len(captured)

    few, many = queries(rows[:2]), queries(rows[2:])

    # The actors' chains, the follows, the focal points (a coordinator reported), one insert.
    assert few == many == 4
    assert Notification.objects.filter(recipient=people["viewer"]).count() == 20
    assert Notification.objects.filter(recipient=people["focal-kz"]).count() == 5


def test_the_bulk_path_tells_too(people):
    coordinator, viewer = people["coordinator"], people["viewer"]
    follows.follow(viewer, actor("KG"))
    rows = [
        (
            1,
            workflow.Report(
                assignment=assignment("CSACVE-2015-1", "KG", coordinator),
                status="in_progress",
                date=datetime.date(2016, 1, 15),
                author=people["focal-kg"],
            ),
        ),
        (
            2,
            workflow.Report(
                assignment=assignment("CSACVE-2015-2", "KG", coordinator),
                status="not_started",
                date=datetime.date(2016, 1, 15),
                author=people["focal-kg"],
            ),
        ),
    ]

    result = workflow.record_status_updates(rows)

    assert not result.refused
    assert set(Notification.objects.values_list("recipient__username", "update", "reason")) == {
        ("viewer", update.pk, Reason.ACTOR) for _, update in result.created
    }


def test_a_follow_is_of_exactly_one_target_once(people):
    viewer = people["viewer"]
    event, kz = Event.objects.get(code="CSACVE-2015"), actor("KZ")
    follows.follow(viewer, event)
    follows.follow(viewer, event)  # twice: still one
    assert Follow.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=viewer, event=event, actor=kz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=viewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=viewer, event=event)


# The digests ---------------------------------------------------------------------------------


@pytest.fixture
def told(people):
    """The viewer follows the conference; focal-kg follows Kazakhstan; two coordinator reports (one
    with an internal note) on Kazakhstan's assignments and one focal-point report on Kyrgyzstan's."""
    coordinator = people["coordinator"]
    follows.follow(people["viewer"], Event.objects.get(code="CSACVE-2015"))
    follows.follow(people["focal-kg"], actor("KZ"))
    kz1, kz2 = assignment("CSACVE-2015-1", "KZ", coordinator), assignment("CSACVE-2015-2", "KZ", coordinator)
    return {
        "kz1": report(kz1, coordinator, "in_progress", note="Draft law tabled.", internal_note="Minister reluctant."),
        "kz2": report(kz2, coordinator, "not_started"),
        "kg": report(assignment("CSACVE-2015-3", "KG", coordinator), people["focal-kg"], "in_progress"),
    }


def test_each_user_gets_one_digest_of_what_they_were_told_with_absolute_links(smtp, told):
    out = _send()

    mails = _by_recipient(smtp.wait_for(3))
    assert set(mails) == {"viewer", "focal-kz", "focal-kg"}  # the coordinator authored everything
    assert "Sent 3 digests (7 updates)." in out
    viewer = _body(mails["viewer"])
    assert mails["viewer"]["Subject"].strip() == "cvetracker: 3 new status updates"
    for update in told.values():
        assert f"{SITE}{update.assignment.get_absolute_url()}#update-{update.pk}" in viewer
    assert "Draft law tabled." in viewer and "An event you follow" in viewer
    assert "Minister reluctant." in viewer  # viewers read every internal note
    assert "coordinator" in viewer  # authors, for signed-in readers
    focal_kg = _body(mails["focal-kg"])
    assert "CSACVE-2015-1" in focal_kg and "CSACVE-2015-2" in focal_kg and "CSACVE-2015-3" not in focal_kg
    assert "Minister reluctant." not in focal_kg  # Kazakhstan's internal note is not for Kyrgyzstan's focal point
    assert "Draft law tabled." in focal_kg
    assert f"{SITE}{reverse('notifications')}" in focal_kg
    stop = re.search(rf"{SITE}(/notifications/stop/\S+/)", focal_kg)
    assert stop and mails["focal-kg"]["List-Unsubscribe"].strip() == f"<{SITE}{stop.group(1)}>"
    assert mails["focal-kg"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_russian_users_digest_is_in_russian(smtp, told):
    _send()

    focal_kz = _by_recipient(smtp.wait_for(3))["focal-kz"]
    body = _body(focal_kz)
    assert focal_kz["Subject"].strip() == "cvetracker: 2 новых отчёта о ходе выполнения"
    assert "Здравствуйте" in body and "Казахстан" in body and "Ваше поручение" in body
    assert "Minister reluctant." in body  # their own actor's internal note


def test_a_second_run_sends_nothing_and_a_new_update_goes_in_the_next(smtp, told, people):
    _send()
    smtp.wait_for(3)

    assert "Sent 0 digests" in _send()
    report(told["kz2"].assignment, people["coordinator"], "in_progress", date=datetime.date(2016, 2, 1))
    assert "Sent 3 digests (3 updates)." in _send()
    assert len(smtp.wait_for(6)) == 6


def test_those_without_an_address_or_who_stopped_digests_get_none(smtp, told, people):
    Preference.objects.create(user=people["viewer"], send_digests=False)
    people["focal-kz"].email = ""
    people["focal-kz"].save()

    _send()

    assert set(_by_recipient(smtp.wait_for(1, timeout=1))) == {"focal-kg"}
    assert Notification.objects.filter(sent_at__isnull=True).count() == 5  # kept for the page


def test_a_digest_the_server_refuses_is_not_recorded_and_goes_out_with_the_next_run(smtp, told):
    smtp.refused.add("viewer@mail.example")

    with pytest.raises(CommandError, match="1 digests could not be mailed"):
        _send()

    assert Notification.objects.filter(recipient__username="viewer", claim__isnull=True).count() == 3
    smtp.refused.clear()
    assert "Sent 1 digests (3 updates)." in _send()


def test_a_dry_run_prints_what_would_be_sent_and_sends_and_records_nothing(smtp, told):
    out = _send("--dry-run")

    assert "To viewer <viewer@mail.example> (en): 3 updates" in out
    assert "Dry run: 3 digests would be sent" in out
    assert smtp.messages == [] and not Notification.objects.filter(claim__isnull=False).exists()


def test_without_the_sites_address_the_command_stops(told, settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL is not set"):
        _send()


@postgresql_only("concurrent writers: SQLite runs one at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_digest_once(smtp, told):
    start = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        try:
            start.wait()
            outputs.append(_send())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    runners = [threading.Thread(target=run) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()

    assert errors == []
    mails = smtp.wait_for(4, timeout=2)
    assert sorted(message["to"][0] for message in mails) == [
        "focal-kg@mail.example",
        "focal-kz@mail.example",
        "viewer@mail.example",
    ]
    assert sum(int(re.search(r"\((\d+) updates\)", out).group(1)) for out in outputs) == 7


def test_the_stop_link_works_without_signing_in_and_stops_only_digests(smtp, told, people):
    _send()
    body = _body(_by_recipient(smtp.wait_for(3))["focal-kg"])
    stop = re.search(rf"{SITE}(/notifications/stop/\S+/)", body).group(1)
    token = stop.split("/")[-2]
    reminders_link = stop.replace(token, signing.dumps(people["focal-kg"].pk, salt="reminders.stop"))
    anonymous = Client()

    assert anonymous.get(stop).status_code == 200
    assert anonymous.post(reminders_link).status_code == 404  # another mail's link stops nothing here
    assert not Preference.objects.exists()
    stopped = anonymous.post(stop)

    assert "Digests to focal-kg are stopped." in stopped.content.decode()
    assert list(Preference.objects.values_list("user__username", "send_reminders", "send_digests")) == [
        ("focal-kg", True, False)
    ]


# The pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["event", "actor", "recommendation"])
def test_the_page_follows_and_unfollows_without_javascript(people, name):
    target = {
        "event": Event.objects.get(code="CSACVE-2015"),
        "actor": actor("KZ"),
        "recommendation": Recommendation.objects.get(code="CSACVE-2015-1"),
    }[name]
    client = Client()
    client.force_login(people["viewer"])
    page = target.get_absolute_url()
    url = reverse(f"{name}-follow", args=[target.pk])
    assert f'action="{url}"' in client.get(page).content.decode()

    followed = client.post(url, {"action": "follow", "next": page}, follow=True)

    assert followed.redirect_chain == [(page, 302)]
    assert "You follow" in followed.content.decode() and 'value="unfollow"' in followed.content.decode()
    assert Follow.objects.get(user=people["viewer"]).target == target
    unfollowed = client.post(url, {"action": "unfollow", "next": "https://elsewhere.example/"})
    assert unfollowed.url == page  # never off the site
    assert not Follow.objects.exists()
    assert 'value="follow"' in client.get(page).content.decode()


def test_anonymous_readers_see_no_button_and_are_sent_to_sign_in(documents):
    event = Event.objects.get(code="CSACVE-2015")
    client = Client()
    url = reverse("event-follow", args=[event.pk])

    assert url not in client.get(event.get_absolute_url()).content.decode()
    for response in (client.post(url, {"action": "follow"}), client.get(reverse("notifications"))):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Follow.objects.exists()


def test_the_notifications_page_lists_notifications_follows_and_the_digest_choice(told, people):
    client = Client()
    client.force_login(people["focal-kg"])

    page = client.get(reverse("notifications")).content.decode()

    assert page.count("CSACVE-2015-") == 2 and "Draft law tabled." in page
    assert "Minister reluctant." not in page
    assert "Kazakhstan" in page and 'value="unfollow"' in page
    assert "not mailed yet" in page
    saved = client.post(reverse("notifications"), {})  # the box unticked
    assert saved.status_code == 302
    assert Preference.objects.get(user=people["focal-kg"]).send_digests is False


def test_the_notifications_page_costs_the_same_however_many(told, people):
    client = Client()
    client.force_login(people["viewer"])
    client.get(reverse("notifications"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications"))
    for code in ("CSACVE-2015-4", "CSACVE-2015-5"):
        report(assignment(code, "TJ", people["coordinator"]), people["coordinator"], "in_progress")
    follows.follow(people["viewer"], actor("TJ"))
    follows.follow(people["viewer"], Recommendation.objects.get(code="CSACVE-2015-6"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications"))
    assert len(few) == len(many)


def test_an_actor_removed_takes_its_follows(people):
    body = Actor.objects.create(name="A new body", kind="government_body", parent=actor("KZ"))
    follows.follow(people["viewer"], body)
    body.delete()
    assert not Follow.objects.exists()
