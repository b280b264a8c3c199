"""What a user follows, and what they are told of (docs/operations.md#digests-of-what-you-follow).

notifications.notices.tell writes a Notification for each recipient of a new status update, in the
workflow's transaction; `manage.py send_digests` claims a user's untold ones (claim) and mails them
in one digest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Actor, Event
from recommendations.models import Recommendation, StatusUpdate

# What a Follow may be of: its field on Follow, and the page's URL name prefix.
TARGETS = {Event: "event", Actor: "actor", Recommendation: "recommendation"}


class Follow(models.Model):
    """A user follows exactly one event, actor (its sub-bodies included) or recommendation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name=_("event")
    )
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name=_("actor")
    )
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("recommendation"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, actor__isnull=True, recommendation__isnull=True)
                    | Q(event__isnull=True, actor__isnull=False, recommendation__isnull=True)
                    | Q(event__isnull=True, actor__isnull=True, recommendation__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            # The two empty targets of each row are NULL, and NULLs are never equal: these hold one row
            # per user and target.
            models.UniqueConstraint(fields=["user", "event"], name="follow_event_once"),
            models.UniqueConstraint(fields=["user", "actor"], name="follow_actor_once"),
            models.UniqueConstraint(fields=["user", "recommendation"], name="follow_recommendation_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.target}"

    @property
    def target(self):
        return self.event or self.actor or self.recommendation

    @property
    def follow_url(self):
        """Where the follow and unfollow buttons of its target POST (notifications/urls.py)."""
        target = self.target
        return reverse(f"{TARGETS[type(target)]}-follow", args=[target.pk])


class Notification(models.Model):
    class Reason(models.TextChoices):
        # In the order a recipient told for several reasons is told for (notices.tell).
        ASSIGNMENT = "assignment", _("your assignment")
        RECOMMENDATION = "recommendation", _("a recommendation you follow")
        ACTOR = "actor", _("a country or body you follow")
        EVENT = "event", _("an event you follow")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    # CASCADE: only `manage.py flush` removes status updates (they are append-only); the updates'
    # TRUNCATE reaches this table too (tests/test_truncate_guard.py).
    update = models.ForeignKey(
        StatusUpdate, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("status update")
    )
    reason = models.CharField(max_length=16, choices=Reason.choices, verbose_name=_("reason"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # Set by the run of send_digests that mails it (notifications/digests.py), cleared if that mail fails.
    claim = models.UUIDField(null=True, blank=True, editable=False, verbose_name=_("claim"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "update"], name="notification_once")]
        indexes = [
            # The untold ones, which send_digests looks for on every run.
            models.Index(fields=["recipient"], condition=Q(claim__isnull=True), name="notification_untold"),
        ]

    def __str__(self):
        return f"{self.recipient} — {self.update_id} ({self.reason})"
