"""What a database holds, as counts and checksums per model: two databases with the same content
give the same fingerprint. `python -m tests.fingerprint` prints the one DATABASE_URL points at."""

import hashlib
import json
import os

# Models whose rows are compared, with the fields that identify their content.
CONTENT = {
    "events.Event": ["id", "code", "title", "kind", "start_date", "end_date", "date_note", "place", "dataset"],
    "events.Actor": ["id", "name", "kind", "iso_code", "code", "parent_id", "dataset"],
    "events.ActorGroup": ["id", "slug", "name"],
    "events.EventParticipation": ["id", "event_id", "actor_id", "role"],
    "events.SourceDocument": ["id", "event_id", "title", "published_on", "text"],
    "recommendations.Recommendation": ["id", "code", "kind", "text", "source_quote", "due_date", "restates_id"],
    "recommendations.Assignment": ["id", "recommendation_id", "actor_id", "role", "due_date", "note", "status"],
    "recommendations.StatusUpdate": ["id", "assignment_id", "kind", "status", "date", "note", "author_id"],
    "recommendations.EvidenceFile": ["id", "update_id", "file", "name", "content_type", "size", "sha256"],
    "auth.User": ["id", "username", "password", "is_staff", "is_superuser", "is_active"],
    "auth.Group": ["name"],
    "authtoken.Token": ["key", "user_id"],
    "accounts.Profile": ["user_id", "language"],
    "notifications.Follow": ["id", "user_id", "event_id", "actor_id", "recommendation_id"],
    "notifications.Notification": ["id", "recipient_id", "update_id", "reason", "sent_at"],
    "auditlog.LogEntry": ["content_type__model", "object_id", "action", "changes", "actor_id", "timestamp"],
    "admin.LogEntry": ["content_type__model", "object_id", "action_flag", "change_message", "user_id"],
}
# Related rows, compared by name so that the numbering of permissions and content types may differ.
LINKS = {
    "events.Actor.focal_points": ("actor_id", "user__username"),
    "events.ActorGroup.members": ("actorgroup_id", "actor_id"),
    "recommendations.Recommendation.themes": ("recommendation_id", "theme__slug"),
    "auth.User.groups": ("user_id", "group__name"),
    "auth.Group.permissions": ("group__name", "permission__codename"),
}


def _count_and_digest(queryset, fields):
    # Sorted here rather than by the database, whose text collation differs from one kind to another.
    rows = sorted(json.dumps([_value(value) for value in row], default=str) for row in queryset.values_list(*fields))
    return [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]


def _value(value):
    if hasattr(value, "microsecond"):  # to the millisecond: Django's JSON serializer keeps no finer
        return value.replace(microsecond=value.microsecond // 1000 * 1000).isoformat()
    return value


def fingerprint():
    from django.apps import apps

    result = {label: _count_and_digest(apps.get_model(label).objects, fields) for label, fields in CONTENT.items()}
    for label, fields in LINKS.items():
        model_label, name = label.rsplit(".", 1)
        result[label] = _count_and_digest(getattr(apps.get_model(model_label), name).through.objects, fields)
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvetracker.settings")
    import django

    django.setup()
    print(json.dumps(fingerprint()))
