"""The reminders' two pages: the signed-in user's choice, and the mailed link that stops reminders
without signing in (reminders/tokens.py)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import UpdateView

from reminders.forms import PreferenceForm
from reminders.models import Preference
from reminders.tokens import user_for


def turn_off(user):
    Preference.objects.update_or_create(user=user, defaults={"send_reminders": False})


class PreferenceView(LoginRequiredMixin, UpdateView):
    """Any signed-in user's own choice (reminders go to focal points and coordinators)."""

    form_class = PreferenceForm
    template_name = "reminders/settings.html"

    def get_object(self, queryset=None):
        return Preference.objects.filter(user=self.request.user).first() or Preference(user=self.request.user)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your choice is saved."))
        return redirect("reminder-settings")


class StopView(View):
    """GET asks (a mail scanner opening the link must not stop anything); POST stops. The POST needs
    no CSRF token: the signed token is its proof, and mail programs POST it themselves (RFC 8058)."""

    @classmethod
    def as_view(cls, **kwargs):
        return csrf_exempt(super().as_view(**kwargs))

    def get(self, request, token):
        return self._page(request, user_for(token), stopped=False)

    def post(self, request, token):
        user = user_for(token)
        if user is not None:
            turn_off(user)
        return self._page(request, user, stopped=True)

    def _page(self, request, user, stopped):
        context = {"recipient": user, "stopped": stopped}
        return render(request, "reminders/stop.html", context, status=200 if user else 404)
