"""Who may do what. The admin, the pages and the API all ask this module.

Roles are groups (created by migration 0002): Coordinators manage events,
recommendations and assignments and may report on anything; Focal points report
for the actors they are linked to (Actor.focal_points) and those actors' sub-bodies;
Viewers read. Anonymous visitors read only while settings.PUBLIC_READ is on.
"""

from django.conf import settings
from django.utils.text import get_text_list

from events.models import Actor
from recommendations.choices import UpdateKind

COORDINATORS = "Coordinators"
FOCAL_POINTS = "Focal points"
VIEWERS = "Viewers"

REPORT_ANY = "recommendations.report_any_assignment"
ADD_UPDATE = "recommendations.add_statusupdate"
MANAGE = "recommendations.change_assignment"
VIEW_HISTORY = "auditlog.view_logentry"  # granted to Coordinators by migration 0003


def can_read(user):
    return settings.PUBLIC_READ or (user.is_authenticated and user.is_active)


def is_coordinator(user):
    return user.is_active and user.has_perm(MANAGE)


def can_view_history(user):
    """May `user` read the audit trail (who changed what, old and new values)?"""
    return user.is_active and user.has_perm(VIEW_HISTORY)


def reportable_actor_ids(user):
    """Ids of the actors this focal point reports for, sub-bodies included (cached per user object)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_reportable_actor_ids"):
        own = list(user.reporting_actors.values_list("id", flat=True))
        user._reportable_actor_ids = frozenset(Actor.objects.subtree_ids(own))
    return user._reportable_actor_ids


def can_report(user, assignment, kind=UpdateKind.REPORT):
    """May `user` record a status update of `kind` on `assignment`?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_perm(REPORT_ANY):
        return True
    if kind != UpdateKind.REPORT or not user.has_perm(ADD_UPDATE):
        return False
    return assignment.actor_id in reportable_actor_ids(user)


def reporting_refusal(user, assignment):
    """Why a signed-in `user` may not report on `assignment`, in words for the page; None when they
    may, or are not signed in (the page then offers to log in)."""
    if not (user.is_authenticated and user.is_active) or can_report(user, assignment):
        return None
    own = [actor.name for actor in user.reporting_actors.order_by("name")] if user.has_perm(ADD_UPDATE) else []
    if not own:
        return f"Your account does not report for {assignment.actor}: its focal points and coordinators do."
    return (
        f"You report for {get_text_list(own, 'and')}; this assignment is {assignment.actor}'s, so you cannot "
        "record an update on it. Ask a coordinator if you should."
    )


def reportable_assignments(user, queryset):
    """Narrow an Assignment queryset to those `user` may report on."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if user.has_perm(REPORT_ANY):
        return queryset
    if not user.has_perm(ADD_UPDATE):
        return queryset.none()
    return queryset.filter(actor_id__in=reportable_actor_ids(user))
