"""manage.py send_reminders against a real SMTP server (the `smtp` fixture): who gets which digest,
in which language, with which links; once only, however often or however many at once it runs."""

import datetime
import re
import threading
from io import StringIO

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from cvetracker.datasets import Dataset
from events.models import Actor
from recommendations import workflow
from recommendations.models import Recommendation
from reminders.models import Preference, Reminder
from tests.factories import report
from tests.helpers import postgresql_only
from tests.test_deploy_settings import PRODUCTION, _manage, _settings

pytestmark = pytest.mark.django_db

SITE = "https://tracker.example.org"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.REMINDER_LEAD_DAYS = [30, 7]
    settings.REMINDER_SILENT_DAYS = 90
    settings.REMINDER_REPEAT_DAYS = 14


def _assign(code, iso, by, due_in=None, dataset=Dataset.RECORD):
    due = TODAY + datetime.timedelta(days=due_in) if due_in is not None else None
    return workflow.assign(
        recommendation=Recommendation.objects.get(code=code),
        actors=[Actor.objects.get(iso_code=iso)],
        by=by,
        due_date=due,
        dataset=dataset,
    ).created[0]


def _person(user, language=None):
    user.email = f"{user.username}@mail.example"
    user.save()
    if language:
        Profile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def world(coordinator, focal_kz, focal_kg, viewer):
    """The documents (CSACVE-2015-1, due 29 September 2015, is overdue for nine countries, none of
    which reported) and a few assignments falling due soon and later."""
    _person(coordinator)
    _person(focal_kz, "ru")
    _person(focal_kg, "kk")
    _person(viewer)
    return {
        "kz soon": _assign("CSACVE-2015-2", "KZ", coordinator, due_in=5),
        "kz this month": _assign("CSACVE-2015-3", "KZ", coordinator, due_in=20),
        "kz later": _assign("CSACVE-2015-4", "KZ", coordinator, due_in=60),
        "kg soon": _assign("CSACVE-2015-5", "KG", coordinator, due_in=5),
    }


def _send(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _subject(message):
    return message["Subject"].strip()  # a long encoded subject is folded, and unfolds with a space before it


def _by_recipient(messages):
    return {message["to"][0].split("@")[0]: message["message"] for message in messages}


def _body(message):
    return message.get_content().replace("\r\n", "\n")


def _codes(message):
    return set(re.findall(r"^- ([A-Z]+-\d+-\d+) .* — (.+)$", _body(message), flags=re.MULTILINE))


def test_each_focal_point_gets_their_actors_assignments_and_each_coordinator_the_overdue_by_event(smtp, world):
    out = _send()

    mails = _by_recipient(smtp.wait_for(3))
    assert set(mails) == {"focal-kz", "focal-kg", "coordinator"}  # the viewer is reminded of nothing
    assert "Sent 3 digests" in out
    kz = _body(mails["focal-kz"])
    # Kazakhstan's, and its parliament's (a sub-body, whose assignment has gone unreported since 2016).
    assert _codes(mails["focal-kz"]) == {
        ("CSACVE-2015-1", "Казахстан"),
        ("CSACVE-2015-2", "Казахстан"),
        ("CSACVE-2015-3", "Казахстан"),
        ("CTRT-2016-1", "Парламент Республики Казахстан"),
    }
    # The sections in order: overdue, then within 7 days, within 30, and silent.
    assert kz.index("CSACVE-2015-1") < kz.index("CSACVE-2015-2") < kz.index("CSACVE-2015-3") < kz.index("CTRT")
    assert {code for code, _ in _codes(mails["focal-kg"])} == {"CSACVE-2015-1", "CSACVE-2015-5"}
    coordinator = _body(mails["coordinator"])
    overdue = _codes(mails["coordinator"])
    assert {code for code, _ in overdue} == {"CSACVE-2015-1"} and len(overdue) == 9  # nine countries
    # Grouped by event: the conference's title once, its assignments under it.
    title = Recommendation.objects.get(code="CSACVE-2015-1").event.title
    assert coordinator.count(title) == 1 and coordinator.index(title) < coordinator.index("CSACVE-2015-1")
    assert "Kazakhstan" in coordinator and "Kyrgyzstan" in coordinator
    assert _subject(mails["coordinator"]) == "cvetracker: 9 overdue assignments"


def test_the_links_are_absolute_and_lead_to_the_page_where_they_report(smtp, world):
    _send()

    kz = _by_recipient(smtp.wait_for(3))["focal-kz"]
    body = _body(kz)
    assert f"{SITE}{world['kz soon'].get_absolute_url()}" in body
    assert f"{SITE}{reverse('reminder-settings')}" in body
    assert re.search(rf"{SITE}/reminders/stop/\S+/", body)
    assert kz["List-Unsubscribe"].strip().startswith(f"<{SITE}/reminders/stop/")
    assert kz["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_digest_is_in_its_recipients_language(smtp, world):
    _send()

    mails = _by_recipient(smtp.wait_for(3))
    assert _subject(mails["focal-kz"]) == "cvetracker: 4 поручения ждут вашего отчёта"
    assert "Просрочено, отчёта нет с момента наступления срока" in _body(mails["focal-kz"])
    assert "Срок — в течение 7 дней" in _body(mails["focal-kz"])
    assert _subject(mails["focal-kg"]) == "cvetracker: 2 тапсырма сіздің есебіңізді күтуде"
    assert "Мерзімі өтті, мерзім жеткеннен бері есеп жоқ" in _body(mails["focal-kg"])
    assert "Hello coordinator," in _body(mails["coordinator"])


def test_a_second_run_sends_nothing_new(smtp, world):
    _send()
    smtp.wait_for(3)
    recorded = Reminder.objects.count()

    out = _send()

    assert "Sent 0 digests (0 reminders)" in out
    assert len(smtp.wait_for(4, timeout=0.5)) == 3
    assert Reminder.objects.count() == recorded
    # Each assignment of each digest once per threshold reached.
    kz = Reminder.objects.filter(recipient__username="focal-kz")
    assert set(kz.values_list("assignment__recommendation__code", "threshold")) == {
        ("CSACVE-2015-1", "overdue"),
        ("CSACVE-2015-1", "silent"),  # unreported since it was assigned, long ago
        ("CSACVE-2015-2", "due_7"),
        ("CSACVE-2015-3", "due_30"),
        ("CTRT-2016-1", "silent"),
    }


def test_an_overdue_assignment_is_reminded_again_after_the_interval_and_a_lead_time_never(smtp, world, settings):
    _send()
    smtp.wait_for(3)
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=13))
    assert "Sent 0 digests" in _send()  # 13 days: not yet

    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=14))
    _send()

    again = _by_recipient(smtp.wait_for(6)[3:])
    assert set(again) == {"focal-kz", "focal-kg", "coordinator"}
    # Not the lead times; the overdue one, and the parliament's silent one.
    assert {code for code, _ in _codes(again["focal-kz"])} == {"CSACVE-2015-1", "CTRT-2016-1"}
    repeated = Reminder.objects.filter(recipient__username="focal-kz", sequence=2)
    assert set(repeated.values_list("assignment__recommendation__code", "threshold")) == {
        ("CSACVE-2015-1", "overdue"),
        ("CSACVE-2015-1", "silent"),
        ("CTRT-2016-1", "silent"),
    }


def test_nothing_is_reminded_once_reported_or_closed(smtp, world, coordinator, focal_kz):
    kz_overdue = Recommendation.objects.get(code="CSACVE-2015-1").assignments.get(actor__iso_code="KZ")
    _send()
    smtp.wait_for(3)
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=30))

    report(kz_overdue, focal_kz, "in_progress", date=TODAY)  # reported after its due date
    report(world["kz soon"], focal_kz, "not_applicable", date=TODAY)  # closed
    world["kz later"].refresh_from_db()
    workflow.change_assignment(
        assignment=world["kz later"],
        by=coordinator,
        expected_version=world["kz later"].version,
        due_date=TODAY + datetime.timedelta(days=3),
    )
    _send()

    again = _by_recipient(smtp.wait_for(6, timeout=2)[3:])
    # Kazakhstan's only new reminder: the one whose due date moved into a lead time (and the
    # parliament's, still silent).
    assert {code for code, _ in _codes(again["focal-kz"])} == {"CSACVE-2015-4", "CTRT-2016-1"}
    assert "Kazakhstan" not in _body(again["coordinator"])  # it reported: no longer chased


def test_silence_is_reminded_from_the_last_report(smtp, world, coordinator):
    quiet = _assign("CSACVE-2015-6", "KZ", coordinator, due_in=200)
    quiet.__class__.objects.filter(pk=quiet.pk).update(created_at=timezone.now() - datetime.timedelta(days=91))

    _send()

    kz = _by_recipient(smtp.wait_for(3))["focal-kz"]
    assert ("CSACVE-2015-6", "Казахстан") in _codes(kz)
    assert "Отчёта нет 90 дней и более" in _body(kz)
    assert Reminder.objects.get(assignment=quiet).counted_from == TODAY - datetime.timedelta(days=91)


def test_the_stop_link_works_without_signing_in_and_cannot_be_forged(smtp, world, focal_kz):
    _send()
    body = _body(_by_recipient(smtp.wait_for(3))["focal-kz"])
    stop = re.search(rf"{SITE}(/reminders/stop/\S+/)", body).group(1)
    anonymous = Client()
    token = stop.split("/")[-2]
    forged = stop.replace(token, signing.dumps(focal_kz.pk, salt="another purpose"))
    altered = stop.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))

    asked = anonymous.get(stop)
    for bad in (forged, altered):
        assert anonymous.post(bad).status_code == 404
    assert not Preference.objects.exists()  # neither opening the link nor a bad token stopped anything
    stopped = anonymous.post(stop)

    assert asked.status_code == 200 and "focal-kz" in asked.content.decode()
    assert stopped.status_code == 200 and "Reminders to focal-kz are stopped." in stopped.content.decode()
    assert Preference.objects.get(user=focal_kz).send_reminders is False
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=30))
    _send()
    assert "focal-kz" not in _by_recipient(smtp.wait_for(5, timeout=2)[3:])


def test_the_settings_page_turns_reminders_off_and_on(focal_kz):
    client = Client()
    client.force_login(focal_kz)
    url = reverse("reminder-settings")

    page = client.get(url)
    assert page.status_code == 200
    assert re.search(r'<input type="checkbox" name="send_reminders"[^>]* checked>', page.content.decode())
    assert client.post(url, {}).status_code == 302
    assert Preference.objects.get(user=focal_kz).send_reminders is False
    assert client.post(url, {"send_reminders": "on"}).status_code == 302
    assert Preference.objects.get(user=focal_kz).send_reminders is True


def test_the_settings_page_is_for_signed_in_users():
    response = Client().get(reverse("reminder-settings"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_dry_run_prints_what_would_be_sent_and_sends_and_records_nothing(smtp, world):
    out = _send("--dry-run")

    assert "To focal-kz <focal-kz@mail.example> (focal point, ru):" in out
    assert "  CSACVE-2015-2 Kazakhstan: due_7" in out
    assert "Dry run: 3 digests would be sent" in out
    assert smtp.wait_for(1, timeout=0.5) == [] and not Reminder.objects.exists()


def test_demo_and_synthetic_assignments_are_left_out_unless_asked(smtp, world, coordinator):
    _assign("CSACVE-2015-6", "KG", coordinator, due_in=3, dataset=Dataset.DEMO)
    _assign("CSACVE-2015-7", "KG", coordinator, due_in=3, dataset=Dataset.SYNTHETIC)

    _send()
    first = _by_recipient(smtp.wait_for(3))
    _send("--include-demo")
    second = _by_recipient(smtp.wait_for(4)[3:])

    assert {code for code, _ in _codes(first["focal-kg"])} == {"CSACVE-2015-1", "CSACVE-2015-5"}
    assert {code for code, _ in _codes(second["focal-kg"])} == {"CSACVE-2015-6"}
    assert not Reminder.objects.filter(assignment__dataset=Dataset.SYNTHETIC).exists()


def test_those_without_an_address_or_who_turned_reminders_off_get_nothing(smtp, world, focal_kz, focal_kg):
    focal_kz.email = ""
    focal_kz.save()
    Preference.objects.create(user=focal_kg, send_reminders=False)

    _send()

    assert set(_by_recipient(smtp.wait_for(2))) == {"coordinator"}


def test_a_digest_the_server_refuses_is_not_recorded_and_goes_out_with_the_next_run(smtp, world):
    smtp.refused.add("focal-kg@mail.example")

    with pytest.raises(CommandError, match="1 digests could not be mailed"):
        _send()
    assert set(_by_recipient(smtp.wait_for(2))) == {"focal-kz", "coordinator"}
    assert not Reminder.objects.filter(recipient__username="focal-kg").exists()
    smtp.refused.clear()
    _send()

    assert set(_by_recipient(smtp.wait_for(3)[2:])) == {"focal-kg"}


def test_an_unreachable_mail_server_leaves_nothing_recorded_and_fails_the_run(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    with pytest.raises(CommandError, match="Could not reach the mail server"):
        _send()

    assert not Reminder.objects.exists()  # the next run tries again


def test_without_the_sites_address_the_command_stops_with_one_line(world):
    result = _manage("send_reminders", **PRODUCTION)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: SITE_URL is not set")


def test_the_reminder_settings_are_read_from_the_environment():
    names = ["SITE_URL", "REMINDER_LEAD_DAYS", "REMINDER_SILENT_DAYS", "REMINDER_REPEAT_DAYS"]
    env = {"SITE_URL": "https://tracker.example.org/", "REMINDER_LEAD_DAYS": "7,30,1"}
    env |= {"REMINDER_SILENT_DAYS": "60", "REMINDER_REPEAT_DAYS": "7"}

    assert _settings(*names, **PRODUCTION, **env) == {
        "SITE_URL": "https://tracker.example.org",
        "REMINDER_LEAD_DAYS": [30, 7, 1],
        "REMINDER_SILENT_DAYS": 60,
        "REMINDER_REPEAT_DAYS": 7,
    }
    assert _settings(*names)["REMINDER_LEAD_DAYS"] == [30, 7]
    for bad in ({"REMINDER_LEAD_DAYS": "30,soon"}, {"REMINDER_REPEAT_DAYS": "0"}, {"SITE_URL": "tracker.org"}):
        result = _manage("check", **bad)
        assert result.returncode != 0 and next(iter(bad)) in result.stderr.strip().splitlines()[-1]


@postgresql_only("two runs at once: threads cannot wait for a lock in the suite's in-memory SQLite database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_reminder_once_on_postgresql(smtp, world):
    start = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        from django.db import connection

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
        "coordinator@mail.example",
        "focal-kg@mail.example",
        "focal-kz@mail.example",
    ]
    keys = list(Reminder.objects.values_list("recipient", "assignment", "threshold"))
    assert len(keys) == len(set(keys)) == 5 + 3 + 9  # as one run records (test_a_second_run_sends_nothing_new)


def _last_minute_of(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(23, 59)))


def test_a_daily_run_repeats_on_the_intervals_day_whatever_the_hour(smtp, world):
    _send()
    smtp.wait_for(3)
    day = datetime.timedelta(days=1)
    Reminder.objects.update(sent_at=_last_minute_of(TODAY - 13 * day))
    assert "Sent 0 digests" in _send()  # 13 days ago, however late that day: not yet

    Reminder.objects.update(sent_at=_last_minute_of(TODAY - 14 * day))  # fewer than 14 × 24 hours ago
    _send()
    assert Reminder.objects.filter(recipient__username="focal-kz", threshold="overdue", sequence=2).exists()


def test_a_report_since_its_lead_time_began_holds_back_the_lead_time_reminder(smtp, world, focal_kz):
    report(world["kz soon"], focal_kz, "in_progress", date=TODAY)  # due in 5 days: the 7-day lead began 2 days ago

    _send()

    kz = Reminder.objects.filter(recipient__username="focal-kz")
    assert not kz.filter(assignment=world["kz soon"]).exists()
    assert kz.filter(assignment=world["kz this month"], threshold="due_30").exists()  # no report on that one
