"""Webhook endpoints that coordinators register, and the outbox of deliveries to them.

A Delivery is written in the same transaction as the change it tells of (webhooks/outbox.py), so a
change rolled back sends nothing and a change committed is sent even if the worker dies: the rows
are the queue, `manage.py deliver_webhooks` works through them (webhooks/sending.py) and they stay
as the delivery log a coordinator reads.
"""

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webhooks.addresses import check_url


class EventType(models.TextChoices):
    STATUS_UPDATE_RECORDED = "status_update.recorded", _("A status update is recorded")
    ASSIGNMENT_CREATED = "assignment.created", _("An assignment is created")
    ASSIGNMENT_CHANGED = "assignment.changed", _("An assignment is changed")
    ASSIGNMENT_REMOVED = "assignment.removed", _("An assignment is removed")


def new_secret():
    """A signing secret in the Standard Webhooks form: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class DisabledReason(models.TextChoices):
    FAILURES = "failures", _("after repeated failed deliveries")
    COORDINATOR = "coordinator", _("by a coordinator")


class Endpoint(models.Model):
    url = models.URLField(max_length=500, verbose_name=_("URL"), help_text=_("Where the deliveries are POSTed."))
    description = models.CharField(max_length=200, blank=True, verbose_name=_("description"))
    event_types = models.JSONField(default=list, verbose_name=_("event types"))
    secret = models.CharField(max_length=100, default=new_secret, editable=False, verbose_name=_("signing secret"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    # Failed attempts in a row, whichever deliveries they were; a success starts again from 0.
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("failures in a row"))
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("disabled at"))
    disabled_reason = models.CharField(
        max_length=16, choices=DisabledReason.choices, blank=True, editable=False, verbose_name=_("disabled")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "pk"]

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        # Whichever door saves it: enabled (again), it starts afresh; disabled by hand, it says so.
        if self.active:
            self.disabled_at, self.disabled_reason, self.consecutive_failures = None, "", 0
        elif not self.disabled_reason:
            self.disabled_at, self.disabled_reason = timezone.now(), DisabledReason.COORDINATOR
        super().save(*args, **kwargs)

    def clean(self):
        unknown = set(self.event_types or ()) - set(EventType.values)
        if not self.event_types or unknown:
            raise ValidationError(
                {"event_types": ValidationError(_("Choose one or more event types."), code="event_types")}
            )
        if self.url:
            try:
                check_url(self.url)
            except ValidationError as error:
                raise ValidationError({"url": error}) from None

    def rotate_secret(self):
        """A new signing secret: deliveries from now on are signed with it (pending ones too)."""
        self.secret = new_secret()
        self.save(update_fields=["secret"])

    @property
    def disabled_reason_or_none(self):
        return self.disabled_reason or None

    def subscribes(self, event_type):
        return event_type in self.event_types

    def event_type_labels(self):
        return [EventType(name).label for name in self.event_types if name in EventType.values]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")  # not tried yet
        FAILED = "failed", _("failed, to be tried again")
        SUCCEEDED = "succeeded", _("delivered")
        DEAD = "dead", _("given up")

    OPEN = (Status.PENDING, Status.FAILED)

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_type = models.CharField(max_length=40, choices=EventType.choices, verbose_name=_("event type"))
    # The webhook-id header: the same on every attempt, so a receiver can drop a repeat.
    message_id = models.CharField(max_length=40, unique=True, editable=False, verbose_name=_("message id"))
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, verbose_name=_("status"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(default=timezone.now, verbose_name=_("next attempt"))
    # Set by the worker that claims the delivery; until then no other worker takes it. A worker that
    # dies leaves it to run out, and the delivery is sent again.
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    response_status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("response status"))
    last_error = models.CharField(max_length=500, blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last attempt"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # What the worker looks for: the open deliveries, soonest first.
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(status__in=["pending", "failed"]), name="delivery_due"
            ),
            models.Index(fields=["endpoint", "-created_at"], name="delivery_log"),
        ]

    def __str__(self):
        return self.message_id
