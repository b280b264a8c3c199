"""Demo users and illustrative assignments and status updates, marked dataset=demo.

Loads the documents' fixture first if the database has no events. Safe to run twice:
users are updated in place and the illustrative data is only added once.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cvetracker.datasets import Dataset
from events.models import Actor, Event
from recommendations import permissions, workflow
from recommendations.choices import AssignmentRole, Status
from recommendations.models import Assignment, Recommendation, StatusUpdate

# username, group, ISO codes of the actors the user reports for
USERS = [
    ("coordinator", permissions.COORDINATORS, []),
    ("focal-kz", permissions.FOCAL_POINTS, ["KZ"]),
    ("focal-kg", permissions.FOCAL_POINTS, ["KG"]),
    ("viewer", permissions.VIEWERS, []),
]

# Illustrative assignments: recommendation code → countries (lead role).
ASSIGNMENTS = {
    "CSACVE-2015-2": ["KZ", "KG", "TJ"],
    "CSACVE-2015-4": ["KZ", "KG"],
    "CSACVE-2015-5": ["KZ", "KG", "UZ"],
    "CSACVE-2015-6": ["KZ", "KG"],
    "CSACVE-2015-7": ["KZ", "TJ"],
}

# Illustrative updates: (code, country, reporter, status, date, note, evidence_url).
NOTE = "Illustrative demo data, not a real report. "
EVIDENCE = "https://example.org/demo-evidence/"
UPDATES = [
    (
        "CSACVE-2015-1",
        "KZ",
        "focal-kz",
        Status.IN_PROGRESS,
        datetime.date(2015, 8, 3),
        "Inter-agency contact list drafted.",
        "",
    ),
    (
        "CSACVE-2015-1",
        "KZ",
        "focal-kz",
        Status.IMPLEMENTED,
        datetime.date(2015, 9, 15),
        "National CVE focal point named.",
        EVIDENCE + "kz-focal-point",
    ),
    (
        "CSACVE-2015-1",
        "KG",
        "focal-kg",
        Status.IMPLEMENTED,
        datetime.date(2015, 9, 1),
        "Focal point designated by decree.",
        EVIDENCE + "kg-decree",
    ),
    (
        "CSACVE-2015-1",
        "TJ",
        "coordinator",
        Status.NOT_STARTED,
        datetime.date(2015, 10, 1),
        "No focal point named yet.",
        "",
    ),
    (
        "CSACVE-2015-1",
        "UZ",
        "coordinator",
        Status.STALLED,
        datetime.date(2016, 1, 20),
        "Contact lost after staff changes.",
        "",
    ),
    (
        "CSACVE-2015-2",
        "KZ",
        "focal-kz",
        Status.IN_PROGRESS,
        datetime.date(2015, 11, 10),
        "Drafting group set up with civil society.",
        "",
    ),
    (
        "CSACVE-2015-2",
        "KZ",
        "focal-kz",
        Status.PARTIALLY_IMPLEMENTED,
        datetime.date(2016, 6, 1),
        "Strategy adopted; action plan pending.",
        EVIDENCE + "kz-strategy",
    ),
    (
        "CSACVE-2015-2",
        "KG",
        "focal-kg",
        Status.IN_PROGRESS,
        datetime.date(2016, 3, 14),
        "Consultations held in three regions.",
        "",
    ),
    ("CSACVE-2015-4", "KG", "focal-kg", Status.NOT_STARTED, datetime.date(2015, 12, 1), "Awaiting budget.", ""),
    (
        "CSACVE-2015-5",
        "KZ",
        "focal-kz",
        Status.IMPLEMENTED,
        datetime.date(2016, 4, 30),
        "Two training cycles for 240 officials.",
        EVIDENCE + "kz-training",
    ),
    (
        "CSACVE-2015-5",
        "UZ",
        "coordinator",
        Status.NOT_APPLICABLE,
        datetime.date(2016, 2, 1),
        "Covered by an existing programme.",
        "",
    ),
    (
        "CSACVE-2015-6",
        "KZ",
        "focal-kz",
        Status.IN_PROGRESS,
        datetime.date(2016, 2, 15),
        "Pilot in two penal institutions.",
        "",
    ),
    (
        "CSACVE-2015-7",
        "TJ",
        "coordinator",
        Status.IN_PROGRESS,
        datetime.date(2016, 5, 5),
        "Small grants round opened.",
        "",
    ),
]
# A correction: the first Kyrgyz report on step 1 is corrected to "partially implemented".
CORRECTION = (
    "CSACVE-2015-1",
    "KG",
    "focal-kg",
    Status.PARTIALLY_IMPLEMENTED,
    datetime.date(2015, 9, 1),
    "Correction: the decree names a focal point only for the capital.",
    "",
)


class Command(BaseCommand):
    help = "Create the demo users and illustrative (dataset=demo) assignments and status updates."

    def handle(self, *args, **options):
        if not Event.objects.exists():
            call_command("loaddata", "documents", verbosity=0)
            self.stdout.write(_("Loaded the documents' data."))
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            users = self._users(password)
            created = self._data(users)
        names = "admin, coordinator, focal-kz, focal-kg, viewer"
        if password == settings.DEFAULT_DEMO_PASSWORD:
            signing_in = _("Demo users %(users)s log in with the default password %(password)r.")
        else:
            signing_in = _("Demo users %(users)s log in with DEMO_PASSWORD.")
        self.stdout.write(signing_in % {"users": names, "password": password})
        self.stdout.write(_("Illustrative data added.") if created else _("Illustrative data was already there."))

    def _users(self, password):
        User = get_user_model()
        users = {}
        # Addresses at example.org (reserved: no mail reaches anyone), so `send_reminders --include-demo`
        # has someone to write to; `make demo` prints its mails on the console.
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"first_name": "Demo", "last_name": "Admin", "email": "admin@example.org"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        users["admin"] = admin
        for username, group_name, countries in USERS:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Demo",
                    "last_name": username.replace("-", " ").title(),
                    "email": f"{username}@example.org",
                },
            )
            user.is_staff = group_name == permissions.COORDINATORS
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            user.reporting_actors.set(Actor.objects.filter(iso_code__in=countries))
            users[username] = user
        return users

    def _data(self, users):
        if StatusUpdate.objects.filter(dataset=Dataset.DEMO).exists():
            return False
        coordinator = users["coordinator"]
        for code, countries in ASSIGNMENTS.items():
            workflow.assign(
                recommendation=Recommendation.objects.get(code=code),
                actors=Actor.objects.filter(iso_code__in=countries),
                by=coordinator,
                role=AssignmentRole.LEAD,
                dataset=Dataset.DEMO,
            )
        recorded = {}
        for code, country, reporter, status, date, note, evidence in UPDATES:
            recorded[(code, country)] = self._report(users, code, country, reporter, status, date, note, evidence)
        code, country, reporter, status, date, note, evidence = CORRECTION
        self._report(users, code, country, reporter, status, date, note, evidence, corrects=recorded[(code, country)])
        return True

    def _report(self, users, code, country, reporter, status, date, note, evidence, corrects=None):
        try:
            assignment = Assignment.objects.get(recommendation__code=code, actor__iso_code=country)
        except Assignment.DoesNotExist:
            raise CommandError(
                _("No assignment of %(code)s to %(country)s: load the documents' fixture first.")
                % {"code": code, "country": country}
            ) from None
        return workflow.record_status_update(
            workflow.Report(
                assignment=assignment,
                status=status,
                date=date,
                note=NOTE + note,
                evidence_url=evidence,
                author=users[reporter],
                corrects=corrects,
                dataset=Dataset.DEMO,
            )
        )
