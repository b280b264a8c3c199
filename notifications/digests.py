"""The digests of `manage.py send_digests`: who has untold notifications, claiming them, and the mail.

A user's untold notifications are claimed by one UPDATE … WHERE claim IS NULL before the mail goes
out: a second run at the same moment waits for the first's row locks, then finds them claimed (on
SQLite writers queue for the whole database), so each notification is mailed once. A mail that
fails is released for the next run.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import message_to
from accounts.signed import stop_token
from notifications.models import Notification
from recommendations import permissions
from reminders.models import Preference

STOP_SALT = "notifications.stop"
DIGEST_ITEMS = 50  # updates a digest lists; the notifications page shows the rest


def recipients():
    """Active users with an address, untold notifications and digests not turned off."""
    users = permissions.signed_in_readers().exclude(email="")
    users = users.exclude(pk__in=Preference.objects.filter(send_digests=False).values("user"))
    untold = Notification.objects.filter(claim__isnull=True).values("recipient")
    return list(users.filter(pk__in=untold).order_by("username"))


def untold(user):
    return Notification.objects.filter(recipient=user, claim__isnull=True)


def with_update(notifications):
    related = ["update__assignment__recommendation__event", "update__assignment__actor", "update__author"]
    return notifications.select_related(*related)


def claim(user):
    """(claim id, the user's notifications this run claimed, oldest first): none if another run
    claimed them first."""
    token = uuid.uuid4()
    with transaction.atomic():
        untold(user).update(claim=token, sent_at=timezone.now())
    return token, list(
        with_update(Notification.objects.filter(claim=token)).order_by("update__created_at", "update__pk")
    )


def release(token):
    """Give back a claim whose mail could not be sent, so the next run tries again."""
    Notification.objects.filter(claim=token).update(claim=None, sent_at=None)


def items(reader, notifications):
    """What `reader` is shown of each notification's update: the read rules of permissions (an
    internal note only for whom it is, authors for signed-in readers)."""
    return [
        {
            "notification": notification,
            "update": notification.update,
            "assignment": notification.update.assignment,
            "url": f"{notification.update.assignment.get_absolute_url()}#update-{notification.update_id}",
            "author": permissions.author_name(reader, notification.update),
            "internal_note": permissions.internal_note(reader, notification.update),
        }
        for notification in notifications
    ]


def stop_url(user):
    return settings.SITE_URL + reverse("notifications-stop", args=[stop_token(user, STOP_SALT)])


def message(user, notifications):
    """The digest's mail, in the recipient's language, with absolute links and the one that stops digests."""
    stop = stop_url(user)
    context = {
        "user": user,
        "site_url": settings.SITE_URL,
        "page_url": settings.SITE_URL + reverse("notifications"),
        "stop_url": stop,
        "count": len(notifications),
        "items": items(user, notifications[:DIGEST_ITEMS]),
        "more": max(0, len(notifications) - DIGEST_ITEMS),
    }
    mail = message_to(user, "notifications/digest_subject.txt", "notifications/digest.txt", context)
    # One click in the mail program (RFC 8058): it POSTs to the link, which needs no sign-in.
    mail.extra_headers = {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return mail
