"""Who may do what. The admin, the pages and the API all ask this module.

Roles are groups (declared in recommendations/roles.py): Coordinators manage events,
recommendations and assignments and may report on anything; Focal points report
for the actors they are linked to (Actor.focal_points) and those actors' sub-bodies;
Viewers read. Anonymous visitors read only while settings.PUBLIC_READ is on.

What a reader may see of what they may read (the read rules of the brief), asked by the pages,
the API (JSON, `?expand=`, CSV), the printable report and the admin alike:
- authors' names are for signed-in users (`can_see_authors`, `author_name`);
- internal notes are for trusted readers (coordinators, the superuser, viewers) and for the focal
  points of the assignment's actor and of the bodies above and below it (`can_read_internal_note`,
  `internal_note`). Everything else, the assignment's own note included, is public.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from events.models import Actor
from recommendations.choices import UpdateKind

COORDINATORS = "Coordinators"
FOCAL_POINTS = "Focal points"
VIEWERS = "Viewers"

REPORT_ANY = "recommendations.report_any_assignment"
ADD_UPDATE = "recommendations.add_statusupdate"
MANAGE = "recommendations.manage_assignments"  # what makes a coordinator
VIEW_HISTORY = "auditlog.view_logentry"
READ_ALL_INTERNAL_NOTES = "recommendations.read_all_internal_notes"  # Viewers and Coordinators


def _signed_in(user):
    return user.is_authenticated and user.is_active


def can_read(user):
    return settings.PUBLIC_READ or _signed_in(user)


def signed_in_readers():
    """The users who read as signed in (can_read holds for them, whatever PUBLIC_READ), as a
    queryset: those who may be told of new status updates (notifications.notices)."""
    return get_user_model().objects.filter(is_active=True)


def can_follow(user):
    """May `user` follow events, actors and recommendations, and have a notifications page?"""
    return _signed_in(user)


def is_coordinator(user):
    return user.is_active and user.has_perm(MANAGE)


def is_focal_point(user):
    """Does `user` hold the focal-point role and no other (nor the superuser's)? Only such an account
    is linked to an actor when a coordinator invites its address."""
    roles = {group.name for group in user.groups.all()} & {COORDINATORS, FOCAL_POINTS, VIEWERS}
    return roles == {FOCAL_POINTS} and not user.is_superuser


def focal_point_choices(users, actor=None):
    """The users a focal-point picker offers: those in the focal-point role, and those already
    linked to `actor` (so that saving keeps them)."""
    linked = Q(reporting_actors=actor) if actor is not None else Q(pk__in=[])
    return users.filter(Q(groups__name=FOCAL_POINTS) | linked).distinct()


def can_manage_focal_points(user):
    """May `user` invite and unlink focal points, and see who an actor's focal points are?"""
    return is_coordinator(user)


def can_manage_actors(user):
    """May `user` add and change countries, bodies, regions and groups on the coordinators' pages?"""
    return is_coordinator(user)


def can_manage_webhooks(user):
    """May `user` register webhook endpoints and read their secrets and delivery logs? Coordinators:
    a receiver outside the tracker is told of every change, so only those who manage the record choose one."""
    return is_coordinator(user)


def can_view_history(user):
    """May `user` read the audit trail (who changed what, old and new values)?"""
    return user.is_active and user.has_perm(VIEW_HISTORY)


def _own_actor_ids(user):
    """Ids of the actors this user is a focal point of (cached per user object, like those below)."""
    if not hasattr(user, "_own_actor_ids"):
        user._own_actor_ids = list(user.reporting_actors.values_list("id", flat=True))
    return user._own_actor_ids


def reportable_actor_ids(user):
    """Ids of the actors this focal point reports for, sub-bodies included (cached per user object)."""
    if not _signed_in(user):
        return frozenset()
    if not hasattr(user, "_reportable_actor_ids"):
        user._reportable_actor_ids = frozenset(Actor.objects.subtree_ids(_own_actor_ids(user)))
    return user._reportable_actor_ids


def note_actor_ids(user):
    """Ids of the actors whose internal notes this focal point reads: those they report for (sub-bodies
    included) and every body above their own actors (cached per user object)."""
    if not _signed_in(user):
        return frozenset()
    if not hasattr(user, "_note_actor_ids"):
        above = Actor.objects.ancestor_ids(_own_actor_ids(user))
        user._note_actor_ids = reportable_actor_ids(user) | frozenset(above)
    return user._note_actor_ids


def can_see_authors(user):
    """Authors' names are for signed-in users."""
    return _signed_in(user)


def author_name(reader, update):
    """What `reader` sees of `update`'s author: the full name, else the username; None for readers
    who may not see authors (the author is then not even looked up) and for deleted authors."""
    if not can_see_authors(reader) or update.author is None:
        return None
    return update.author.get_full_name() or update.author.get_username()


def can_see_update(user, update):
    """May `user` see `update`, and so the evidence files it carries? Whoever may read the tracker, today;
    a rule that hides some updates (validation before publishing) belongs here, and the files follow."""
    return can_read(user)


def can_read_internal_note(user, assignment):
    """May `user` read the internal notes of `assignment`'s updates? No query per call once cached."""
    if not _signed_in(user):
        return False
    return user.has_perm(READ_ALL_INTERNAL_NOTES) or assignment.actor_id in note_actor_ids(user)


def internal_note(reader, update):
    """The update's internal note as `reader` may see it: the text, or None if it is not for them."""
    return update.internal_note if can_read_internal_note(reader, update.assignment) else None


def report_scope(user):
    """Which assignments `user` may report on: None for every one (coordinators), else the ids of the
    actors whose assignments they may report on (empty for most readers)."""
    if not _signed_in(user):
        return frozenset()
    if user.has_perm(REPORT_ANY):
        return None
    return reportable_actor_ids(user) if user.has_perm(ADD_UPDATE) else frozenset()


def can_report(user, assignment, kind=UpdateKind.REPORT):
    """May `user` record a status update of `kind` on `assignment`? Only REPORT_ANY allows assessments."""
    scope = report_scope(user)
    if scope is None:
        return True
    return kind == UpdateKind.REPORT and assignment.actor_id in scope


def can_import_updates(user):
    """May `user` upload a spreadsheet of status updates? Each row is still judged by can_report."""
    scope = report_scope(user)
    return scope is None or bool(scope)


def reporting_refusal(user, assignment):
    """Why a signed-in `user` may not report on `assignment`, in words for the page; None when they
    may, or are not signed in (the page then offers to log in)."""
    if not _signed_in(user) or can_report(user, assignment):
        return None
    own = [actor.name for actor in user.reporting_actors.order_by("name")] if user.has_perm(ADD_UPDATE) else []
    if not own:
        return _("Your account does not report for %(actor)s: its focal points and coordinators do.") % {
            "actor": assignment.actor
        }
    # Translators: the last word of a list of actors, as in "Kazakhstan, Kyrgyzstan and Tajikistan".
    actors = get_text_list(own, _("and"))
    return _(
        "You report for %(actors)s; this assignment belongs to %(actor)s, so you cannot "
        "record an update on it. Ask a coordinator if you should."
    ) % {"actors": actors, "actor": assignment.actor}


def reportable_assignments(user, queryset):
    """Narrow an Assignment queryset to those `user` may report on."""
    scope = report_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(actor_id__in=scope) if scope else queryset.none()


def can_import_recommendations(user):
    """May `user` import an event's recommendations and assignments from a spreadsheet? The
    workflow applies the coordinators' rules to each row."""
    return is_coordinator(user)
