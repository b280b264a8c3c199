import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    class Kind(models.TextChoices):
        UPDATES = "updates", _("Status updates")
        RECOMMENDATIONS = "recommendations", _("Recommendations and assignments")

    """An uploaded file's rows, read once, kept between the preview and the confirmation.

    In the database rather than in a temporary file, so the confirmation may reach another app
    server than the upload did. Rows are kept as read (imports.spreadsheet.Row, as JSON), not as
    judged: the preview and the confirmation judge them against the records as they are then.
    `kind` says which import reads them (imports.kinds); a file of recommendations is for one `event`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("user")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPDATES, verbose_name=_("kind"))
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    filename = models.CharField(max_length=255, verbose_name=_("file name"))
    rows = models.JSONField(verbose_name=_("rows"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    recorded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self):
        return self.filename
