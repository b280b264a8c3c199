"""Who may open the pages: one mixin, asking recommendations.permissions."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recommendations import permissions


class ReadAccessMixin:
    """Readable by whoever `permissions.can_read` allows (everyone while PUBLIC_READ is on).

    Anyone else is sent to the login page; a write attempt by them is simply forbidden.
    """

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_read(request.user):
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(_("Sign in to use this page."))
        return super().dispatch(request, *args, **kwargs)


class RightRequiredMixin:
    """Pages for those `allowed` (a staticmethod: a rule of recommendations.permissions): anyone signed out goes to
    the login page, whatever the method; anyone else signed in is forbidden with `refusal`."""

    allowed = None
    refusal = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.allowed(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)


class CoordinatorRequiredMixin(RightRequiredMixin):
    """The coordinators' pages (`permissions.is_coordinator`)."""

    allowed = staticmethod(permissions.is_coordinator)
    refusal = gettext_lazy("Only coordinators may use this page.")
