"""Who may do what. The admin, the pages and the API all ask this module.

Roles are groups (declared in recommendations/roles.py): Coordinators manage events,
recommendations and assignments and may report on anything; Focal points report
for the actors they are linked to (Actor.focal_points) and those actors' sub-bodies;
Viewers read. Anonymous visitors read only while settings.PUBLIC_READ is on.
"""

from django.conf import settings

from events.models import Actor
from recommendations.choices import UpdateKind

COORDINATORS = "Coordinators"
FOCAL_POINTS = "Focal points"
VIEWERS = "Viewers"

REPORT_ANY = "recommendations.report_any_assignment"
ADD_UPDATE = "recommendations.add_statusupdate"
MANAGE = "recommendations.manage_assignments"  # what makes a coordinator
VIEW_HISTORY = "auditlog.view_logentry"


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


def reportable_assignments(user, queryset):
    """Narrow an Assignment queryset to those `user` may report on."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if user.has_perm(REPORT_ANY):
        return queryset
    if not user.has_perm(ADD_UPDATE):
        return queryset.none()
    return queryset.filter(actor_id__in=reportable_actor_ids(user))
