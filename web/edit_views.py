"""The coordinators' edit pages (under /coordinate/): an event, a recommendation, an assignment.
Only coordinators open them (web/access.py asks recommendations.permissions); every write is
recommendations.workflow's (change_event, change_recommendation, change_assignment). A refused
form comes back with the error beside its field and everything as typed."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from events.models import Event
from recommendations import workflow
from recommendations.models import Assignment, Recommendation, Theme
from web.access import CoordinatorRequiredMixin
from web.forms import add_workflow_error
from web.meeting_forms import AssignmentEditForm, EventEditForm, RecommendationEditForm


class EditView(CoordinatorRequiredMixin, TemplateView):
    """The form (GET) and where it posts: on success back to the object's page with a message; on an
    error this page again. The form edits a copy, so the page's headings show the object as stored."""

    template_name = "web/coordinate/edit_form.html"
    queryset = None

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.queryset, pk=kwargs["pk"])
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.queryset, pk=kwargs["pk"])
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, gettext("Saved your changes to %(object)s.") % {"object": self.object})
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))

    def get_form(self, data=None):
        return self.form_class(data, instance=copy.copy(self.object))

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, crumbs=self.crumbs(), **kwargs)


class EventEditView(EditView):
    queryset = Event.objects.all()
    form_class = EventEditForm

    def save(self, form):
        workflow.change_event(event=form.instance, by=self.request.user)

    def crumbs(self):
        return [(reverse("event-list"), gettext("Events")), (self.object.get_absolute_url(), self.object.code)]


class RecommendationEditView(EditView):
    queryset = Recommendation.objects.select_related("event", "source_document")
    form_class = RecommendationEditForm

    def get_form(self, data=None):
        return self.form_class(data, instance=copy.copy(self.object), themes=list(Theme.objects.all()))

    def save(self, form):
        workflow.change_recommendation(
            recommendation=form.instance, by=self.request.user, themes=form.cleaned_data["themes"]
        )

    def crumbs(self):
        event = self.object.event
        return [(event.get_absolute_url(), event.code), (self.object.get_absolute_url(), self.object.code)]


class AssignmentEditView(EditView):
    queryset = Assignment.objects.select_related("recommendation__event", "actor")
    form_class = AssignmentEditForm

    def save(self, form):
        workflow.change_assignment(
            assignment=self.object,
            by=self.request.user,
            expected_version=form.cleaned_data["expected_version"],
            **form.changes(),
        )

    def crumbs(self):
        recommendation = self.object.recommendation
        return [
            (recommendation.get_absolute_url(), recommendation.code),
            (self.object.get_absolute_url(), self.object.actor.name),
        ]
