"""The notifications' pages: follow and unfollow (POST, from the event, actor and recommendation
pages and from the notifications page), each user's notifications page, and the mailed link that
stops digests without signing in (accounts/signed.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts import signed
from notifications import digests, follows
from notifications.forms import DigestPreferenceForm
from notifications.models import Follow
from recommendations import permissions
from reminders.models import Preference
from web.access import RightRequiredMixin

PAGE_ITEMS = 50  # notifications the page lists, newest first


class _SignedIn(RightRequiredMixin):
    allowed = staticmethod(permissions.can_follow)
    refusal = gettext_lazy("Sign in to follow events, countries and bodies, and recommendations.")


class FollowView(_SignedIn, View):
    """POST `action` follow or unfollow; back to `next` (a path of this site) or to the page followed."""

    model = None

    def get(self, request, pk):
        return redirect(get_object_or_404(self.model, pk=pk))

    def post(self, request, pk):
        target = get_object_or_404(self.model, pk=pk)
        if request.POST.get("action") == "unfollow":
            follows.unfollow(request.user, target)
            messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
        else:
            follows.follow(request.user, target)
            messages.success(
                request, _("You follow %(target)s: its new updates come in your digest.") % {"target": target}
            )
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(back)
        return redirect(target)


def _preference(user):
    return Preference.objects.filter(user=user).first() or Preference(user=user)


class NotificationsView(_SignedIn, TemplateView):
    """The signed-in user's notifications (newest first), what they follow, and whether digests are mailed."""

    template_name = "notifications/notifications.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        notifications = digests.with_update(user.notifications.all())[:PAGE_ITEMS]  # newest first
        followed = Follow.objects.filter(user=user).select_related("event", "actor", "recommendation")
        return super().get_context_data(
            items=digests.items(user, notifications),
            follows=list(followed),
            **{"form": DigestPreferenceForm(instance=_preference(user)), **kwargs},
        )

    def post(self, request):
        form = DigestPreferenceForm(request.POST, instance=_preference(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications")


class StopView(signed.StopView):
    salt = digests.STOP_SALT
    template_name = "notifications/stop.html"

    def turn_off(self, user):
        Preference.objects.update_or_create(user=user, defaults={"send_digests": False})
