"""The coordinators' pages (under /coordinate/): enter a meeting in one page, assign from a
recommendation's or an event's page. Only coordinators open them (web/access.py asks
recommendations.permissions); every write is recommendations.workflow's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from events.models import Actor, Event
from recommendations import workflow
from recommendations.models import Recommendation, Theme
from web.access import CoordinatorRequiredMixin
from web.forms import add_workflow_error
from web.meeting_forms import (
    AssignForm,
    DocumentEntryForm,
    EventAssignForm,
    EventEntryForm,
    ParticipationFormSet,
    RecommendationFormSet,
    actor_tree,
    more_rows,
    show_unjudged,
)


class MeetingEntryView(CoordinatorRequiredMixin, TemplateView):
    """A new event, its source document, organisers and participants and its recommendations, in one
    form and one transaction (workflow.enter_meeting). Without JavaScript: a fixed number of blank
    rows, and "Add rows" sends the page back with more, everything typed kept."""

    template_name = "web/coordinate/meeting_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self._forms()))

    def post(self, request, *args, **kwargs):
        if "add_rows" in request.POST:
            data = more_rows(more_rows(request.POST, "participants"), "recommendations")
            forms = self._forms(data, request.FILES)
            show_unjudged(*forms.values())
            return self.render_to_response(self.get_context_data(**forms))
        forms = self._forms(request.POST, request.FILES)
        if all(form.is_valid() for form in forms.values()):
            participations = [form for form in forms["participants"] if form.has_changed()]
            recommendations = forms["recommendations"].ordered_forms
            try:
                event = workflow.enter_meeting(
                    by=request.user,
                    event=forms["event"].instance,
                    document=forms["document"].instance,
                    participations=[form.instance for form in participations],
                    recommendations=[(form.instance, form.cleaned_data["themes"]) for form in recommendations],
                )
            except workflow.MeetingRefused as refused:
                for name in ("event", "document"):
                    if name in refused.parts:
                        add_workflow_error(forms[name], refused.parts[name])
                for rows, name in ((participations, "participations"), (recommendations, "recommendations")):
                    for index, error in refused.parts.get(name, {}).items():
                        add_workflow_error(rows[index], error)
            else:
                count = len(recommendations)
                entered = ngettext(
                    "Entered %(event)s with %(count)d recommendation.",
                    "Entered %(event)s with %(count)d recommendations.",
                    count,
                )
                messages.success(request, entered % {"event": event, "count": count})
                return redirect(event.get_absolute_url())
        return self.render_to_response(self.get_context_data(**forms))

    def _forms(self, data=None, files=None):
        rows = {"actors": actor_tree(Actor.objects.all())}
        return {
            "event": EventEntryForm(data, prefix="event"),
            "document": DocumentEntryForm(data, files, prefix="document"),
            "participants": ParticipationFormSet(data, prefix="participants", form_kwargs=rows),
            "recommendations": RecommendationFormSet(
                data, prefix="recommendations", form_kwargs={"themes": list(Theme.objects.all())}
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = [kwargs["event"], kwargs["document"], *kwargs["participants"], *kwargs["recommendations"]]
        context.update(
            title=gettext("Enter a meeting"),
            has_errors=any(form.errors for form in forms)
            or any(kwargs[name].non_form_errors() for name in ("participants", "recommendations")),
        )
        return context


class AssignView(CoordinatorRequiredMixin, TemplateView):
    """A form's page (GET) and where it posts: on success back to `target`'s page with what was done;
    on an error its page again, the error beside its field and the choices kept."""

    def get(self, request, *args, **kwargs):
        self.target = self.get_target()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.target = self.get_target()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                result = self.assign(form.cleaned_data)
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, result.summary())
                return redirect(self.target.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.target, **kwargs)


class RecommendationAssignView(AssignView):
    template_name = "web/coordinate/recommendation_assign.html"

    def get_target(self):
        return get_object_or_404(Recommendation.objects.select_related("event"), pk=self.kwargs["pk"])

    def get_form(self, data=None):
        return AssignForm(data, recommendation=self.target)

    def assign(self, data):
        arguments = {"recommendation": self.target, "by": self.request.user, "role": data["role"]}
        arguments["due_date"] = data["due_date"]
        result = workflow.AssignResult()
        if data["group"]:
            result.add(workflow.assign_to_group(group=data["group"], **arguments))
        if data["actors"]:
            result.add(workflow.assign(actors=data["actors"], **arguments))
        return result

    def get_context_data(self, **kwargs):
        assignments = self.target.assignments.select_related("actor__parent", "last_update").order_by("actor__name")
        return super().get_context_data(assignments=assignments, title=self.target.code, **kwargs)


class EventAssignView(AssignView):
    template_name = "web/coordinate/event_assign.html"

    def get_target(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_form(self, data=None):
        return EventAssignForm(data, event=self.target, recommendations=self.target.recommendations.all())

    def assign(self, data):
        return workflow.assign_all_to_group(
            recommendations=data["recommendations"],
            group=data["group"],
            by=self.request.user,
            role=data["role"],
            due_date=data["due_date"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.target.code, **kwargs)
