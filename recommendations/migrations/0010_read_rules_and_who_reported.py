"""Who reported each update (`reported_by`), and who reads every internal note.

`reported_by` is set by the workflow when an update is recorded. For the updates already there it
is worked out once here, by the workflow's rule: a report whose author is (now) a focal point of
the assignment's actor or of a body above it is the actor's own; anything else, an author since
deleted included, is labelled as recorded by a coordinator: never claim a self-report we cannot
vouch for.

Viewers and Coordinators hold the new `read_all_internal_notes` (given by recommendations/roles.py
after migrate); the superuser has every permission.
"""

from django.db import migrations, models

TRIGGER = "statusupdate_append_only"  # migration 0004: refuses any UPDATE of a status update


def _subtrees(Actor):
    children = {}
    for actor_id, parent_id in Actor.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(actor_id)

    def subtree(roots):
        seen, stack = set(), list(roots)
        while stack:
            actor_id = stack.pop()
            if actor_id not in seen:
                seen.add(actor_id)
                stack += children.get(actor_id, [])
        return seen

    return subtree


def backfill_reported_by(apps, schema_editor):
    Actor = apps.get_model("events", "Actor")
    StatusUpdate = apps.get_model("recommendations", "StatusUpdate")
    subtree = _subtrees(Actor)
    own = {}
    for actor_id, user_id in Actor.focal_points.through.objects.values_list("actor_id", "user_id"):
        own.setdefault(user_id, []).append(actor_id)
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE recommendations_statusupdate DISABLE TRIGGER {TRIGGER}")
    for user_id, actor_ids in own.items():
        # The plain manager: the model's own refuses bulk updates (StatusUpdateQuerySet).
        StatusUpdate._base_manager.filter(
            author_id=user_id, kind="report", assignment__actor_id__in=subtree(actor_ids)
        ).update(reported_by="focal_point")
    if postgresql:
        schema_editor.execute(f"ALTER TABLE recommendations_statusupdate ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0009_assignment_tallies"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusupdate",
            name="reported_by",
            field=models.CharField(
                choices=[
                    ("focal_point", "The actor's focal point"),
                    ("coordinator", "A coordinator, on the actor's behalf"),
                ],
                default="coordinator",
                help_text="The actor's own focal point, or a coordinator.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_reported_by, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="statusupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("reported_by__in", ["focal_point", "coordinator"])),
                name="update_reported_by_valid",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="kind",
            field=models.CharField(
                choices=[("report", "Report"), ("assessment", "Independent assessment")],
                default="report",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="For coordinators, viewers and the focal points of this actor and the bodies above and below it.",
            ),
        ),
        migrations.AlterModelOptions(
            name="statusupdate",
            options={
                "get_latest_by": ["date", "created_at", "id"],
                "ordering": ["-date", "-created_at", "-id"],
                "permissions": [
                    ("report_any_assignment", "Can record status updates on any assignment"),
                    ("read_all_internal_notes", "Can read the internal notes of every assignment"),
                ],
            },
        ),
    ]
