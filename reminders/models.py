"""What the reminders sent, and who wants none.

A Reminder row is claimed before its mail goes out (reminders/sending.py): the unique constraint
lets one claim win, however many runs of `send_reminders` try at once, so no reminder is sent twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations.models import Assignment

# Why an assignment is in a digest: overdue, silent (no report for long), or falling due within a
# lead time, "due_<days>" (REMINDER_LEAD_DAYS: they change with the setting).
OVERDUE = "overdue"
SILENT = "silent"
LEAD = "due"


def lead(days):
    return f"{LEAD}_{days}"


def lead_days(threshold):
    """The days of a lead time's threshold, None for the others."""
    return int(threshold.removeprefix(f"{LEAD}_")) if threshold.startswith(f"{LEAD}_") else None


class Reminder(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("recipient")
    )
    # CASCADE: a reminder of an assignment removed is of no use. The assignments' TRUNCATE reaches
    # this table too (tests/test_truncate_guard.py).
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("assignment")
    )
    threshold = models.CharField(max_length=16, verbose_name=_("threshold"))
    # The date the threshold counts from: the due date, or (silent) the day of the last report, so a
    # new due date or a new report starts afresh.
    counted_from = models.DateField(verbose_name=_("counted from"))
    # 1 for the first reminder of a threshold; an overdue or silent one is repeated with the next number.
    sequence = models.PositiveIntegerField(default=1, verbose_name=_("sequence"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))
    claim = models.UUIDField(editable=False, db_index=True, verbose_name=_("claim"))  # the run that sent it

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "assignment", "threshold", "counted_from", "sequence"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.recipient} — {self.assignment_id} ({self.threshold})"


class Preference(models.Model):
    """Which of the tracker's mails a user gets: reminders, and digests of what they follow
    (notifications/); without a row, both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference", verbose_name=_("user")
    )
    send_reminders = models.BooleanField(default=True, verbose_name=_("send me reminders by e-mail"))
    send_digests = models.BooleanField(
        default=True, verbose_name=_("mail me a digest of updates to what I follow and to my assignments")
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)
