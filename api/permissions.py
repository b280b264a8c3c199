"""DRF glue for recommendations.permissions: the rules live there, these classes only ask.

Reads follow `can_read` (anonymous visitors only while settings.PUBLIC_READ is on). Writes need
a signed-in user; then either the model permissions of the role (events, actors, recommendations)
or the coordinator rule (assignments) decide, and the workflow checks again when it writes.
Status updates are left to the workflow alone, which knows whose assignment it is.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions

from recommendations import permissions


class ReadOrSignedIn(BasePermission):
    """Reads as `can_read` says; writes for signed-in users, whom the workflow then judges."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return permissions.can_read(request.user)
        return bool(request.user and request.user.is_authenticated)


class ReadOrModelPermissions(DjangoModelPermissions):
    """Reads as `can_read` says; writes need the add/change/delete permission the role grants."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return permissions.can_read(request.user)
        return super().has_permission(request, view)


class ReadOrCoordinator(BasePermission):
    """Reads as `can_read` says; writes for coordinators only."""

    message = _("Only coordinators can manage assignments.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return permissions.can_read(request.user)
        return bool(request.user and request.user.is_authenticated and permissions.is_coordinator(request.user))
