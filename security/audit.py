"""The audit trail: who created, changed or deleted what, when, with the old and new values.

django-auditlog writes a LogEntry on each save and delete of the models tracked below (and on
changes to their many-to-many links); security.middleware.AuditlogMiddleware names the
signed-in user (by account, not by e-mail address). Writes without a request (management
commands) have no actor: "system". Users' personal details are not logged (USER_UNTRACKED).

Status updates are not tracked: they are append-only and are their own history (author,
created_at). For the same reason an assignment's columns that mirror its latest update are
left out, so recording an update does not also add an audit entry.
"""

from dataclasses import dataclass

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.render import get_field_verbose_name
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from recommendations import permissions

# Columns that change on every save or mirror the status updates (see the module docstring).
ASSIGNMENT_UNTRACKED = [
    "status",
    "status_date",
    "last_update",
    "assessed_status",
    "version",
    "created_at",
    "updated_at",
]
# A user's secrets, bookkeeping and personal details: the trail's readers (coordinators) need who
# holds which role and whether the account is active, not e-mail addresses or names.
USER_UNTRACKED = ["password", "last_login", "email", "first_name", "last_name"]
LONGEST_VALUE = 200  # characters shown of one value; a document's full text can be long


def track_models():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
    from recommendations.models import Assignment, Recommendation, Theme

    for model in (Event, EventParticipation, SourceDocument, Theme):
        _track(model)
    _track(Actor, m2m_fields={"focal_points"})  # who reports for whom
    _track(ActorGroup, m2m_fields={"members"})
    _track(Recommendation, m2m_fields={"themes"})
    _track(Assignment, untracked=ASSIGNMENT_UNTRACKED)
    # Who holds which role is part of "who may write where"; a user's personal details are not.
    _track(get_user_model(), untracked=USER_UNTRACKED, m2m_fields={"groups"})
    _track(Group, m2m_fields={"permissions"})


def _track(model, untracked=(), m2m_fields=()):
    """Log the model's own columns (not its id, nor reverse relations, which auditlog would list)."""
    columns = [field.name for field in model._meta.concrete_fields if not field.primary_key]
    auditlog.register(
        model, include_fields=[name for name in columns if name not in untracked], m2m_fields=set(m2m_fields)
    )


def is_tracked(obj):
    return auditlog.contains(type(obj))


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def entries_for(obj, limit=50):
    """The latest audit entries of `obj`, newest first, each with its `changes` listed (one query)."""
    entries = list(
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[:limit]
    )
    for entry in entries:
        entry.changes_listed = changes(entry)
    return entries


def history_for(user, obj, limit=50):
    """What `user` may see of `obj`'s audit trail: its entries, or None for users who may not read it
    (everyone but coordinators and superusers) and for objects that are not tracked."""
    if not (permissions.can_view_history(user) and is_tracked(obj)):
        return None
    return entries_for(obj, limit)


def changes(entry):
    """The entry's changes as readable rows: field label, value before, value after."""
    model = entry.content_type.model_class()
    rows = []
    for name, value in sorted(entry.changes_dict.items()):
        label = get_field_verbose_name(entry, name)
        if isinstance(value, dict):  # many-to-many: {"type": "m2m", "operation": "add"|"delete", "objects": [...]}
            objects = ", ".join(map(str, value.get("objects", [])))
            if value.get("operation") == "add":
                after = _("added: %(objects)s") % {"objects": objects}
            else:
                after = _("removed: %(objects)s") % {"objects": objects}
            rows.append(Change(label, "", after))
        else:
            before, after = (_readable(model, name, item) for item in value)
            rows.append(Change(label, "" if entry.action == LogEntry.Action.CREATE else before, after))
    return rows


def _readable(model, name, value):
    if value in (None, "None", ""):
        return "—"
    field = next((field for field in model._meta.get_fields() if field.name == name), None) if model else None
    choices = dict(field.choices) if getattr(field, "choices", None) else {}
    text = str(choices.get(value, value))
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE] + "…"


def log_bulk(action, pairs, actor):
    """Write the audit entries of rows a bulk statement changed or deleted, which auditlog's signals do
    not see: `pairs` of (the row before, the row after, or None when deleted), each entry as
    auditlog's own receivers would write it (fields, values, the request's address and correlation
    id), inserted 500 a statement. The rows come with their related rows loaded (no query each)."""
    request = {key: auditlog_value.get({}).get(key) for key in ("remote_addr", "remote_port")}
    cid = get_cid()
    entries = []
    for old, new in pairs:
        changes = model_instance_diff(old, new, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)
        if changes:
            entries.append(
                LogEntry(
                    content_type=ContentType.objects.get_for_model(old),
                    object_pk=str(old.pk),
                    object_id=old.pk,
                    object_repr=smart_str(old),
                    action=action,
                    changes=changes,
                    actor=actor,
                    cid=cid,
                    **request,
                )
            )
    LogEntry.objects.bulk_create(entries, batch_size=500)
