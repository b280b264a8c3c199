"""The reminders' two pages: the signed-in user's choice, and the mailed link that stops reminders
without signing in (accounts/signed.py)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from accounts import signed
from reminders.forms import PreferenceForm
from reminders.models import Preference

STOP_SALT = "reminders.stop"


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


class StopView(signed.StopView):
    salt = STOP_SALT
    template_name = "reminders/stop.html"

    def turn_off(self, user):
        turn_off(user)
