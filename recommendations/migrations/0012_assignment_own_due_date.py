"""Assignment.own_due_date: whether an assignment's due date is its own or follows its
recommendation's (recommendations.workflow.carry_due_date moves the followers).

Existing assignments follow their recommendation where their due date equals its date; any other
(a different date, or none where the recommendation has one) is kept as the assignment's own.
"""

from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery


def mark_own_dates(apps, schema_editor):
    Assignment = apps.get_model("recommendations", "Assignment")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    recommendation_date = Subquery(Recommendation.objects.filter(pk=OuterRef("recommendation_id")).values("due_date"))
    differs = (
        Q(due_date__isnull=True, rec_date__isnull=False)
        | Q(due_date__isnull=False, rec_date__isnull=True)
        | (Q(due_date__isnull=False, rec_date__isnull=False) & ~Q(due_date=F("rec_date")))
    )
    own = Assignment.objects.annotate(rec_date=recommendation_date).filter(differs).values("pk")
    Assignment.objects.filter(pk__in=own).update(own_due_date=True)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0011_audit_without_personal_data")]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="own_due_date",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Whether the due date is the assignment's own; otherwise it follows the recommendation's.",
            ),
        ),
        migrations.RunPython(mark_own_dates, migrations.RunPython.noop),
    ]
