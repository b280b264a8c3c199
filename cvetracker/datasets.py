"""Provenance: where a row comes from, so illustrative rows never pass for facts.

Every app's models carry it (events, recommendations, and the commands that write demo and
synthetic rows), so it lives beside the settings rather than in any one app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.TextChoices):
    RECORD = "record", _("Record")
    DEMO = "demo", _("Demo (illustrative)")
    SYNTHETIC = "synthetic", _("Synthetic (benchmark)")


def dataset_field():
    """Marks demo and synthetic rows; facts from the documents are `record`."""
    return models.CharField(
        max_length=16, choices=Dataset.choices, default=Dataset.RECORD, db_index=True, verbose_name=_("dataset")
    )
