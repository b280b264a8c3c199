"""The coordinators' pages for an actor's focal points: invite a person, unlink one. Only
coordinators open them (web/access.py asks recommendations.permissions); the writes are
recommendations.workflow's (invite_focal_point, unlink_focal_point)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from events.models import Actor
from recommendations import workflow
from web.access import CoordinatorRequiredMixin
from web.forms import add_workflow_error


class InviteForm(forms.Form):
    """Collects the input; the rules (an existing account, the rate limits) are the workflow's."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, help_text=_("The language of the mail and of the site.")
    )


class InviteView(CoordinatorRequiredMixin, TemplateView):
    """Invite a focal point for the actor: on success back to the actor's page, where the one-time
    link is shown once (in case the mail does not arrive); on an error this page again, as typed."""

    template_name = "web/coordinate/invite_form.html"

    def get(self, request, *args, **kwargs):
        self.actor = get_object_or_404(Actor, pk=kwargs["pk"])
        form = InviteForm(initial={"language": translation.get_language()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.actor = get_object_or_404(Actor, pk=kwargs["pk"])
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = workflow.invite_focal_point(
                    by=request.user,
                    actor=self.actor,
                    base_url=request.build_absolute_uri("/")[:-1],
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, invitation.summary(self.actor))
                if invitation.link:
                    # Text, not a link: the coordinator passes it on, and opening it would sign them in as the invitee.
                    messages.info(
                        request, gettext("The invitation link, shown this once: %(link)s") % {"link": invitation.link}
                    )
                return redirect(self.actor.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(actor=self.actor, invitation_days=settings.INVITATION_LINK_DAYS, **kwargs)


class UnlinkView(CoordinatorRequiredMixin, TemplateView):
    """Ask (GET), then unlink (POST) a focal point from the actor; the account and its reports stay."""

    template_name = "web/coordinate/unlink_confirm.html"

    def _targets(self):
        actor = get_object_or_404(Actor, pk=self.kwargs["pk"])
        user = get_object_or_404(get_user_model(), pk=self.kwargs["user_id"], reporting_actors=actor)
        return actor, user

    def get(self, request, *args, **kwargs):
        actor, person = self._targets()
        return self.render_to_response(self.get_context_data(actor=actor, person=person))

    def post(self, request, *args, **kwargs):
        actor, person = self._targets()
        try:
            workflow.unlink_focal_point(by=request.user, actor=actor, user=person)
        except ValidationError as error:  # unlinked by someone else meanwhile
            messages.error(request, " ".join(error.messages))
        else:
            name = person.get_full_name() or person.get_username()
            done = gettext("%(person)s no longer reports for %(actor)s.") % {"person": name, "actor": actor}
            messages.success(request, done)
        return redirect(actor.get_absolute_url())
