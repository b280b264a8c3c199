"""Claim a digest's reminders in the database, then mail it: whichever run claims a reminder first
sends it, so two runs at once (or one run twice) never send the same reminder twice."""

import itertools
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.mail import message_to
from accounts.signed import stop_token
from reminders.due import Item
from reminders.models import LEAD, OVERDUE, SILENT, Reminder, lead_days
from reminders.views import STOP_SALT


def claim(digest):
    """(claim id, the digest's items this run claimed): another run may have claimed some first."""
    token = uuid.uuid4()
    rows = [
        Reminder(
            recipient=digest.recipient,
            assignment=item.assignment,
            threshold=threshold,
            counted_from=counted_from,
            sequence=sequence,
            claim=token,
        )
        for item in digest.items
        for threshold, counted_from, sequence in item.thresholds
    ]
    with transaction.atomic():  # on PostgreSQL a rival's insert of the same key waits for this commit
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    won = set(Reminder.objects.filter(claim=token).values_list("assignment_id", "threshold"))
    claimed = []
    for item in digest.items:
        thresholds = [reached for reached in item.thresholds if (item.assignment.pk, reached.threshold) in won]
        if thresholds:
            claimed.append(Item(item.assignment, thresholds))
    return token, claimed


def release(token):
    """Forget a claim whose mail could not be sent, so the next run tries again."""
    Reminder.objects.filter(claim=token).delete()


def _section(threshold):
    """(order, kind, lead days) of a threshold's section in a focal point's digest."""
    if threshold in (OVERDUE, SILENT):
        return (0 if threshold == OVERDUE else 2, threshold, 0)
    return (1, LEAD, lead_days(threshold))


def _focal_point_sections(items):
    ordered = sorted(items, key=lambda item: _section(item.threshold))
    return [
        {"kind": kind, "days": days, "items": list(group)}
        for (_, kind, days), group in itertools.groupby(ordered, key=lambda item: _section(item.threshold))
    ]


def _by_event(items):
    key = lambda item: item.assignment.recommendation.event  # noqa: E731 - the items come ordered by event
    return [{"event": event, "items": list(group)} for event, group in itertools.groupby(items, key=key)]


def message(digest, items):
    """The digest's mail, in the recipient's language, with the link that stops reminders."""
    user = digest.recipient
    stop_url = settings.SITE_URL + reverse("reminders-stop", args=[stop_token(user, STOP_SALT)])
    context = {
        "user": user,
        "site_url": settings.SITE_URL,
        "settings_url": settings.SITE_URL + reverse("reminder-settings"),
        "stop_url": stop_url,
        "silent_days": settings.REMINDER_SILENT_DAYS,
        "count": len(items),
    }
    if digest.coordinator:
        context["events"] = _by_event(items)
        context["actors"] = sorted({item.assignment.actor for item in items}, key=lambda actor: actor.name)
        body = "reminders/coordinator_digest.txt"
    else:
        context["sections"] = _focal_point_sections(items)
        body = "reminders/focal_point_digest.txt"
    mail = message_to(user, "reminders/digest_subject.txt", body, context)
    # One click in the mail program (RFC 8058): it POSTs to the link, which needs no sign-in.
    mail.extra_headers = {"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return mail
