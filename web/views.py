"""Server-rendered pages: the dashboard, filterable lists, detail pages and status reporting.

Lists run the shared FilterSets (events/filters.py, recommendations/filters.py) on the query
string; figures come from the read models (recommendations.reads); every write goes
through recommendations.workflow and every right is asked of recommendations.permissions.
"""

from collections import defaultdict
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from cvetracker.paging import CappedCountPaginator
from cvetracker.read_cache import CachedPageMixin
from events.choices import ParticipationRole
from events.filters import ActorFilterSet, EventFilterSet
from events.models import Actor, Event
from recommendations import permissions, workflow
from recommendations.choices import RecommendationKind, UpdateKind
from recommendations.filters import AssignmentFilterSet, RecommendationFilterSet
from recommendations.models import STANDING_ORDER, Assignment, Recommendation, StatusUpdate
from recommendations.reads import figures, progress
from web.access import ReadAccessMixin
from web.bulk_views import BulkForm
from web.feeds import feed_context, timeline
from web.forms import AsOfForm, StatusUpdateForm, add_workflow_error, prepare_filter_form
from web.meeting_forms import AssignForm, EventAssignForm

KIND_LABELS = dict(RecommendationKind.choices)
RECENT_EVENTS = 8
RECENT_UPDATES = 8
SCORECARD_PAGE = 50
SHORT_LIST = 10
# Each month of a progress chart costs an as-of summary of its assignments: at most this many columns.
CHARTED_MONTHS = 12


def _count(queryset, field):
    """A correlated COUNT subquery: safe next to the joins and DISTINCT a FilterSet may add."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


# Lists ---------------------------------------------------------------------------------------


class FilteredListView(ReadAccessMixin, CachedPageMixin, FilterView):
    """A list narrowed by its FilterSet, sortable by its `ordering` filter, paginated, exportable as CSV and XLSX.

    An invalid filter shows its error beside the field and lists nothing (FilterView's strict mode).
    """

    paginate_by = 25
    paginator_class = CappedCountPaginator  # a long list's total is not counted past the cap
    api_list = ""  # the API list that exports the same filtered rows with ?format=csv|xlsx
    title = ""
    # The results heading as whole sentences (unfiltered, filtered, longer than the cap), since languages
    # inflect the noun (and the verb) with the count: ngettext_lazy(..., "count") picks the form from it.
    results = (
        ngettext_lazy("%(count)d row", "%(count)d rows", "count"),
        ngettext_lazy("%(count)d row matches the filters", "%(count)d rows match the filters", "count"),
        ngettext_lazy("More than %(cap)s row", "More than %(cap)s rows", "count"),
    )
    table_label = _("Table of rows")
    # The download links' full names, for screen readers.
    download_label = _("Download CSV of these rows")
    xlsx_download_label = _("Download XLSX of these rows")
    attach_progress = None  # sets `obj.progress` on the listed objects in a fixed number of queries (figures.for_*)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        prepare_filter_form(filterset.form)
        return filterset

    def results_heading(self, paginator, filtered):
        if paginator.capped:  # not counted past the cap (cvetracker/paging.py)
            return self.results[2] % {"count": paginator.cap, "cap": number_format(paginator.cap, force_grouping=True)}
        return self.results[filtered] % {"count": paginator.count}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = list(context["object_list"])  # annotated below, then rendered: one query
        if self.attach_progress:
            self.attach_progress(context["object_list"])
        filtered = any(
            value for name, values in self.request.GET.lists() if name not in ("page", "ordering") for value in values
        )
        context.update(
            title=self.title,
            results_heading=self.results_heading(context["paginator"], filtered),
            table_label=self.table_label,
            download_label=self.download_label,
            xlsx_download_label=self.xlsx_download_label,
            filterset=self.filterset,
            export_url=reverse(self.api_list),
            filtered=filtered,
        )
        return context


class EventListView(FilteredListView):
    filterset_class = EventFilterSet
    template_name = "web/event_list.html"
    api_list = "api:events-list"
    title = _("Events")
    results = (
        ngettext_lazy("%(count)d event", "%(count)d events", "count"),
        ngettext_lazy("%(count)d event matches the filters", "%(count)d events match the filters", "count"),
        ngettext_lazy("More than %(cap)s event", "More than %(cap)s events", "count"),
    )
    table_label = _("Table of events")
    download_label = _("Download CSV of these events")
    xlsx_download_label = _("Download XLSX of these events")
    attach_progress = staticmethod(figures.for_events)

    def get_queryset(self):
        return Event.objects.annotate(recommendation_count=_count(Recommendation.objects.all(), "event"))


class RecommendationListView(FilteredListView):
    filterset_class = RecommendationFilterSet
    template_name = "web/recommendation_list.html"
    api_list = "api:recommendations-list"
    title = _("Recommendations")
    results = (
        ngettext_lazy("%(count)d recommendation", "%(count)d recommendations", "count"),
        ngettext_lazy(
            "%(count)d recommendation matches the filters", "%(count)d recommendations match the filters", "count"
        ),
        ngettext_lazy("More than %(cap)s recommendation", "More than %(cap)s recommendations", "count"),
    )
    table_label = _("Table of recommendations")
    download_label = _("Download CSV of these recommendations")
    xlsx_download_label = _("Download XLSX of these recommendations")
    attach_progress = staticmethod(figures.for_recommendations)

    def get_queryset(self):
        return Recommendation.objects.select_related("event").prefetch_related("themes")


class ActorListView(FilteredListView):
    filterset_class = ActorFilterSet
    template_name = "web/actor_list.html"
    api_list = "api:actors-list"
    title = _("Countries and bodies")
    results = (
        ngettext_lazy("%(count)d country or body", "%(count)d countries and bodies", "count"),
        ngettext_lazy(
            "%(count)d country or body matches the filters", "%(count)d countries and bodies match the filters", "count"
        ),
        ngettext_lazy("More than %(cap)s country or body", "More than %(cap)s countries and bodies", "count"),
    )
    table_label = _("Table of countries and bodies")
    download_label = _("Download CSV of these countries and bodies")
    xlsx_download_label = _("Download XLSX of these countries and bodies")
    attach_progress = staticmethod(figures.for_actors)

    def get_queryset(self):
        return Actor.objects.select_related("parent")


class AssignmentListView(FilteredListView):
    filterset_class = AssignmentFilterSet
    template_name = "web/assignment_list.html"
    api_list = "api:assignments-list"
    title = _("Assignments")
    results = (
        ngettext_lazy("%(count)d assignment", "%(count)d assignments", "count"),
        ngettext_lazy("%(count)d assignment matches the filters", "%(count)d assignments match the filters", "count"),
        ngettext_lazy("More than %(cap)s assignment", "More than %(cap)s assignments", "count"),
    )
    table_label = _("Table of assignments")
    download_label = _("Download CSV of these assignments")
    xlsx_download_label = _("Download XLSX of these assignments")

    def get_queryset(self):
        return Assignment.objects.select_related("recommendation", "actor", "last_update")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filtered"]:  # unfiltered, these are the dashboard's figures: no need to add them up again
            context["summary"] = progress.summary(self.object_list)
        if permissions.is_coordinator(self.request.user) and context["object_list"]:
            # Posted with the list's filters, so "every assignment the filters match" is this list's rows.
            query = self.request.GET.copy()
            query.pop("page", None)
            context["bulk_form"] = BulkForm()
            context["bulk_url"] = f"{reverse('coordinate-assignment-bulk')}?{query.urlencode()}#form-errors"
        return context


# As of a day ---------------------------------------------------------------------------------


class AsOfMixin:
    """A page that can show the state on a past day (?as_of=YYYY-MM-DD, from the form on the page):
    `self.as_of` is that day, or None for today, also when the date is not valid (the form says why).
    Its figures can be read as assessed (?basis=assessed, the same form): `self.basis`, one of
    progress.BASES. Both are in the URL, and so in the read cache's key."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        bound = "as_of" in request.GET or "basis" in request.GET
        self.as_of_form = AsOfForm(request.GET if bound else None)
        chosen = {}
        if bound:
            self.as_of_form.is_valid()
            # Each field on its own: a day that is not valid leaves the basis chosen, and the other way round.
            chosen = self.as_of_form.cleaned_data
        self.as_of = chosen.get("as_of")
        self.basis = chosen.get("basis") or progress.REPORTED

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, as_of=self.as_of, as_of_form=self.as_of_form, basis=self.basis)

    def updates_by_then(self, updates):
        """The updates dated by the day shown (every one today)."""
        return updates if self.as_of is None else updates.filter(date__lte=self.as_of)

    def as_they_stood(self, assignments):
        """The rows of a list of assignments: as they are, or as they stood on the day shown (one
        query more); those that did not exist yet are left out."""
        if self.as_of is None:
            return assignments
        return figures.as_they_stood(progress.as_it_stood(assignments, self.as_of), self.as_of)

    def overdue(self, assignments, most=None):
        """The assignments overdue today, or on the day shown (as they stood then); at most `most`."""
        if self.as_of is None:
            return assignments.overdue()[:most]
        return figures.as_they_stood(progress.overdue_on(assignments, self.as_of)[:most], self.as_of)


# Dashboard -----------------------------------------------------------------------------------


class DashboardView(ReadAccessMixin, CachedPageMixin, AsOfMixin, TemplateView):
    template_name = "web/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = self.as_of
        events = Event.objects.all() if as_of is None else Event.objects.filter(progress.held_by(as_of))
        recommendations = Recommendation.objects.all()
        if as_of is not None:
            recommendations = recommendations.filter(progress.held_by(as_of, "event__"))
        recent_events = list(events.order_by("-start_date", "-pk")[:RECENT_EVENTS])
        # The latest updates recorded; as of a day, the latest dated by then (some were recorded later).
        latest = ("-created_at", "-pk") if as_of is None else STANDING_ORDER
        figures.for_events(recent_events, as_of, self.basis)
        matrix_event = figures.matrix_event(as_of)
        by_kind = recommendations.order_by("kind").values("kind").annotate(n=Count("pk"))
        recommendation_counts = [(KIND_LABELS[row["kind"]], row["kind"], row["n"]) for row in by_kind]
        context.update(
            recommendation_counts=recommendation_counts,
            recommendation_total=sum(count for _, _, count in recommendation_counts),
            summary=progress.summary_of_all(as_of, self.basis),
            trend=progress.every_month(Assignment.objects.all(), as_of, most=CHARTED_MONTHS),
            event_count=events.count(),
            recent_events=recent_events,
            matrix_event=matrix_event,
            matrix=figures.status_matrix(matrix_event, as_of) if matrix_event else None,
            recent_updates=timeline(self.updates_by_then(StatusUpdate.objects.order_by(*latest)))[:RECENT_UPDATES],
            **feed_context("updates"),
        )
        if as_of is None:  # what a focal point has to report now, not on a past day
            context.update(self._reporting(self.request.user))
        return context

    def _reporting(self, user):
        """A focal point's own figures and the assignments that most need a report from them."""
        if not permissions.reportable_actor_ids(user):
            return {}
        mine = permissions.reportable_assignments(user, Assignment.objects.all())
        open_ones = mine.open().select_related("recommendation", "actor")
        return {
            "my_actors": user.reporting_actors.order_by("name"),
            "my_summary": progress.summary(mine),
            # Never reported first, then the longest without news.
            "my_attention": open_ones.order_by(F("status_date").asc(nulls_first=True), "due_date", "pk")[:SHORT_LIST],
        }


# Details -------------------------------------------------------------------------------------

PARTICIPATION_ORDER = {role: position for position, role in enumerate(ParticipationRole.values)}
KIND_ORDER = {kind: position for position, kind in enumerate(RecommendationKind.values)}


class EventDetailView(ReadAccessMixin, CachedPageMixin, AsOfMixin, DetailView):
    model = Event
    queryset = Event.objects.select_related("host_country")
    template_name = "web/event_detail.html"
    offers_assigning = True  # to coordinators, a form to assign its recommendations to a region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, as_of = self.object, self.as_of
        held = progress.was_held(event, as_of)  # what it agreed exists from the day it began
        recommendations = sorted(event.recommendations.all(), key=lambda r: (KIND_ORDER[r.kind], r.sequence))
        recommendations = recommendations if held else []
        figures.for_recommendations(recommendations, as_of, self.basis)
        participations = sorted(
            event.participations.select_related("actor"),
            key=lambda p: (PARTICIPATION_ORDER[p.role], p.actor.name),
        )
        assignments = Assignment.objects.filter(recommendation__event=event)
        context.update(
            held=held,
            summary=progress.figures_per("event", [event.pk], as_of, self.basis)[event.pk],
            recommendations=recommendations,
            participations=participations,
            documents=event.documents.all(),
            matrix=figures.status_matrix(event, as_of),
            trend=progress.every_month(assignments, as_of, most=CHARTED_MONTHS),
            **feed_context("event", event),
        )
        if (
            self.offers_assigning
            and as_of is None
            and recommendations
            and permissions.is_coordinator(self.request.user)
        ):
            context["assign_form"] = EventAssignForm(event=event, recommendations=recommendations)
        context["can_import"] = self.offers_assigning and permissions.can_import_recommendations(self.request.user)
        return context


class EventReportView(EventDetailView):
    """A printable progress report: figures, then every assignment, grouped by recommendation."""

    template_name = "web/event_report.html"
    offers_assigning = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = Assignment.objects.filter(recommendation__event=self.object).select_related(
            "actor__parent", "last_update"
        )
        by_recommendation = {}
        for assignment in self.as_they_stood(assignments.order_by("actor__name")):
            by_recommendation.setdefault(assignment.recommendation_id, []).append(assignment)
        for recommendation in context["recommendations"]:
            recommendation.assignment_rows = by_recommendation.get(recommendation.pk, [])
        context["report_day"] = self.as_of or timezone.localdate()
        context["overdue"] = self.overdue(
            assignments.select_related("recommendation").order_by("due_date", "recommendation__sequence", "actor__name")
        )
        return context


class RecommendationDetailView(ReadAccessMixin, CachedPageMixin, AsOfMixin, DetailView):
    model = Recommendation
    queryset = Recommendation.objects.select_related("event", "source_document", "restates")
    template_name = "web/recommendation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = self.object.assignments.select_related("actor__parent", "last_update")
        updates = StatusUpdate.objects.filter(assignment__recommendation=self.object)
        context.update(
            held=progress.was_held(self.object.event, self.as_of),
            themes=self.object.themes.all(),
            assignments=self.as_they_stood(assignments.order_by("actor__name")),
            summary=progress.summary(assignments, self.as_of, self.basis),
            updates=timeline(self.updates_by_then(updates)),
            **feed_context("recommendation", self.object),
        )
        if self.as_of is None and permissions.is_coordinator(self.request.user):
            context["assign_form"] = AssignForm(recommendation=self.object)
        return context


class ActorDetailView(ReadAccessMixin, CachedPageMixin, AsOfMixin, DetailView):
    """The scorecard of a country or body, its sub-bodies' assignments included."""

    model = Actor
    queryset = Actor.objects.select_related("parent__parent")
    template_name = "web/actor_detail.html"

    def cache_details(self):
        # A focal point's last sign-in and whether they have set a password leave the data version as it is.
        return [(user.pk, user.last_login, user.has_usable_password()) for user in self.focal_points]

    @cached_property
    def focal_points(self):
        """The actor's focal points, for those who manage them (one query); none for anyone else."""
        if not permissions.can_manage_focal_points(self.request.user):
            return []
        users = get_user_model().objects.filter(reporting_actors=self.kwargs["pk"])
        return list(users.order_by("first_name", "last_name", "username"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.object
        subtree = Actor.objects.subtree_ids([actor.pk])
        assignments = Assignment.objects.filter(actor__in=subtree).select_related(
            "recommendation__event", "actor", "last_update"
        )
        as_of = self.as_of
        ordered = assignments.order_by("recommendation__code", "actor__name")
        if as_of is not None:
            ordered = progress.as_it_stood(ordered, as_of)
        page = CappedCountPaginator(ordered, SCORECARD_PAGE).get_page(self.request.GET.get("page"))
        if as_of is not None:
            page.object_list = figures.as_they_stood(page.object_list, as_of)
        for assignment in page.object_list:
            assignment.reportable = as_of is None and permissions.can_report(self.request.user, assignment)
        by_event = progress.breakdown(assignments, "event", as_of, self.basis)
        context.update(
            summary=progress.combine(progress.figures_per("actor", subtree, as_of, self.basis).values()),
            # A country can answer to a thousand events: the page shows those with the most assignments.
            by_event=sorted(by_event, key=lambda row: -row["total"])[:SHORT_LIST],
            event_count=len(by_event),
            by_event_csv=_progress_csv({"by": "event", "actor": actor.pk, **_basis_query(self.basis)}, as_of),
            trend=progress.every_month(assignments, as_of, most=CHARTED_MONTHS),
            page_obj=page,
            overdue=self.overdue(assignments.order_by("due_date", "recommendation__code"), SHORT_LIST),
            children=actor.children.order_by("name"),
            took_part_in=_took_part_in(actor, subtree, as_of),
            manages_focal_points=permissions.can_manage_focal_points(self.request.user),
            focal_points=self.focal_points,
            **feed_context("actor", actor),
        )
        return context


def _basis_query(basis):
    """The query that asks /api/progress/ for figures on `basis` (none for the default, self-reported)."""
    return {"basis": basis} if basis != progress.REPORTED else {}


def _progress_csv(query, as_of):
    """The CSV of /api/progress/ for `query`, as of the day shown if there is one."""
    return f"{reverse('api:progress')}?{urlencode({**query, **({'as_of': as_of} if as_of else {}), 'format': 'csv'})}"


def _took_part_in(actor, subtree, as_of=None):
    """The latest events that `actor` or its sub-bodies (`subtree`, ids) took part in (held by `as_of`,
    if given), each once: with the actor's own roles there, and how many of its sub-bodies were there."""
    events = Event.objects.all() if as_of is None else Event.objects.filter(progress.held_by(as_of))
    events = list(
        events.filter(participations__actor__in=subtree)
        .annotate(bodies=Count("participations__actor", filter=~Q(participations__actor=actor.pk), distinct=True))
        .order_by("-start_date", "pk")[:SHORT_LIST]
    )
    roles = defaultdict(list)
    for participation in actor.participations.filter(event__in=events).order_by("role"):
        roles[participation.event_id].append(participation.get_role_display().lower())
    for event in events:
        event.own_roles = roles[event.pk]
    return events


class AssignmentDetailView(ReadAccessMixin, DetailView):
    """An assignment's timeline, and the "Record an update" form for those allowed to report."""

    model = Assignment
    queryset = Assignment.objects.select_related("recommendation__event", "actor__parent", "last_update")
    template_name = "web/assignment_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self._form())

    def post(self, request, *args, **kwargs):
        self.object = assignment = self.get_object()
        # The kind asked for counts: an assessment from someone who may only report is refused, not
        # quietly recorded as a report (the form has no kind field for them).
        if not permissions.can_report(request.user, assignment, request.POST.get("kind", UpdateKind.REPORT)):
            raise PermissionDenied(
                gettext("You cannot report on the assignments of %(actor)s.") % {"actor": assignment.actor}
            )
        form = self._form(data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                update = workflow.record_status_update(
                    workflow.Report(assignment=assignment, author=request.user, **form.workflow_arguments())
                )
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(
                    request,
                    gettext("Update recorded: %(status)s as of %(date)s.")
                    % {"status": update.get_status_display(), "date": date_format(update.date, "DATE_FORMAT")},
                )
                return redirect(f"{assignment.get_absolute_url()}#update-{update.pk}")
        return self.render_form(form)

    def _form(self, data=None, files=None):
        if not permissions.can_report(self.request.user, self.object):
            return None
        return StatusUpdateForm(data, files, assignment=self.object, user=self.request.user)

    def render_form(self, form):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                reporting_refusal=None if form else permissions.reporting_refusal(self.request.user, self.object),
                updates=timeline(self.object.updates.all()),
            )
        )
