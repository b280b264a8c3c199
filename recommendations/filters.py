"""One FilterSet per model: the list pages render `filterset.form`, the API uses them as filterset_class.

Every filter has a label a reader understands and a help text: the list pages show the labels,
the OpenAPI schema the help texts.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.filters import CountryCodeFilter, IdChoiceFilter, OrderingFilter, dataset_filter
from events.models import Actor, ActorGroup, Event
from events.search import in_any_language
from recommendations.choices import (
    CURRENT_STATUS_CHOICES,
    AssignmentRole,
    RecommendationKind,
    Status,
    UpdateKind,
    stored_status,
)
from recommendations.models import Assignment, Recommendation, StatusUpdate, Theme, disagrees_q, overdue_q


class IdFilter(IdChoiceFilter):
    """An object's id typed in, for tables too big for a select."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=forms.NumberInput(attrs={"min": 1}), **kwargs)


DUE_BEFORE_HELP = _("Its due date is this date or earlier.")


class _ActorScopedFilterSet(django_filters.FilterSet):
    """Filters shared by everything that hangs off an assignment: `actor_path` leads to its actor."""

    actor_path = "actor"

    actor = IdChoiceFilter(
        queryset=Actor.objects.all(),
        method="filter_actor",
        label=_("Country or body"),
        help_text=_("Its sub-bodies count too."),
    )
    country = CountryCodeFilter(
        method="filter_country",
        label=_("Country code"),
        help_text=_("Two letters, e.g. KZ for Kazakhstan; its bodies count too."),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=ActorGroup.objects.all(),
        to_field_name="slug",
        method="filter_region",
        label=_("Region or group"),
        help_text=_("Its member countries count, with their bodies."),
    )

    def for_actors(self, queryset, actor_ids):
        # A list of ids, not a subquery: PostgreSQL can then read the assignments by actor index.
        return queryset.filter(**{f"{self.actor_path}__in": actor_ids})

    def filter_actor(self, queryset, name, value):
        return self.for_actors(queryset, Actor.objects.subtree_ids([value.pk]))

    def filter_country(self, queryset, name, value):
        return self.filter_actor(queryset, name, value)

    def filter_region(self, queryset, name, value):
        members = value.members.values_list("pk", flat=True)
        return self.for_actors(queryset, Actor.objects.subtree_ids(members))


class RecommendationFilterSet(_ActorScopedFilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Words in the code, title, text or source quote.")
    )
    event = IdChoiceFilter(queryset=Event.objects.all(), label=_("Event"), help_text=_("The event it comes from."))
    kind = django_filters.ChoiceFilter(
        choices=RecommendationKind.choices, label=_("Kind"), help_text=_("Agreed step, proposal or recommendation.")
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(),
        field_name="themes",
        to_field_name="slug",
        label=_("Theme"),
        help_text=_("One of its themes."),
    )
    status = django_filters.ChoiceFilter(
        choices=CURRENT_STATUS_CHOICES,
        method="filter_status",
        label=_("Has an assignment with status"),
        help_text=_("At least one of its assignments currently has this status."),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before"), help_text=DUE_BEFORE_HELP
    )
    dataset = dataset_filter()
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=("code", "due_date", ("event__start_date", "event")),
        field_labels={"code": _("Code"), "due_date": _("Due date"), "event__start_date": _("Event date")},
    )

    class Meta:
        model = Recommendation
        fields = ["search", "event", "kind", "theme", "actor", "country", "region", "status", "due_before", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | in_any_language("title", value)
            | in_any_language("text", value)
            | Q(source_quote__icontains=value)
        )

    def for_actors(self, queryset, actor_ids):
        # A subquery rather than a join, so a recommendation is listed once however many match.
        return queryset.filter(pk__in=Assignment.objects.filter(actor__in=actor_ids).values("recommendation_id"))

    def filter_status(self, queryset, name, value):
        assignments = Assignment.objects.filter(status=stored_status(value))
        return queryset.filter(pk__in=assignments.values("recommendation_id"))


class AssignmentFilterSet(_ActorScopedFilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Words in the recommendation's code or title, the actor's name or the note."),
    )
    event = IdChoiceFilter(
        queryset=Event.objects.all(),
        field_name="recommendation__event",
        label=_("Event"),
        help_text=_("The event its recommendation comes from."),
    )
    # Plain ids for the big tables: a select of every row would not scale.
    recommendation = IdFilter(
        queryset=Recommendation.objects.all(),
        label=_("Recommendation number"),
        help_text=_("The recommendation's number in the tracker, as in its address (/recommendations/12/)."),
    )
    kind = django_filters.ChoiceFilter(
        choices=RecommendationKind.choices,
        field_name="recommendation__kind",
        label=_("Kind of recommendation"),
        help_text=_("Agreed step, proposal or recommendation."),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(),
        field_name="recommendation__themes",
        to_field_name="slug",
        label=_("Theme"),
        help_text=_("One of its recommendation's themes."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=CURRENT_STATUS_CHOICES,
        method="filter_status",
        label=_("Current status"),
        help_text=_("The status of its latest report (or no report yet); choose several to see any of them."),
    )
    role = django_filters.ChoiceFilter(
        choices=AssignmentRole.choices, label=_("Role"), help_text=_("Lead or supporting.")
    )
    # A choice rather than a BooleanFilter, which would read any other value as "any" instead of refusing it.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("Any"),
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_("Past its due date and neither implemented nor not applicable."),
    )
    disagrees = django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("Any"),
        method="filter_disagrees",
        label=_("Assessment disagrees with the self-report"),
        help_text=_(
            "Yes: a coordinator's independent assessment exists and differs from the self-reported status; "
            "No: not assessed, or assessed the same."
        ),
    )
    updated_since = django_filters.DateFilter(
        field_name="status_date",
        lookup_expr="gte",
        label=_("Latest report dated on or after"),
        help_text=_("The day its latest report refers to is this date or later."),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before"), help_text=DUE_BEFORE_HELP
    )
    dataset = dataset_filter()
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("recommendation__code", "recommendation"),
            ("actor__name", "actor"),
            "status",
            "due_date",
            "status_date",
            "updated_at",
        ),
        field_labels={
            "recommendation__code": _("Recommendation"),
            "actor__name": _("Country or body"),
            "status": _("Current status"),
            "due_date": _("Due date"),
            "status_date": _("Date of the latest report"),
            "updated_at": _("Last changed"),
        },
    )

    class Meta:
        model = Assignment
        fields = [
            "search",
            "event",
            "recommendation",
            "kind",
            "theme",
            "actor",
            "country",
            "region",
            "status",
            "role",
            "overdue",
            "disagrees",
            "updated_since",
            "due_before",
            "dataset",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(recommendation__code__icontains=value)
            | in_any_language("recommendation__title", value)
            | in_any_language("actor__name", value)
            | Q(note__icontains=value)
        )

    def filter_status(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(status__in=[stored_status(value) for value in values])

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "true" else queryset.exclude(overdue_q())

    def filter_disagrees(self, queryset, name, value):
        return queryset.disagreeing() if value == "true" else queryset.exclude(disagrees_q())


class StatusUpdateFilterSet(_ActorScopedFilterSet):
    actor_path = "assignment__actor"

    search = django_filters.CharFilter(
        field_name="note", lookup_expr="icontains", label=_("Search notes"), help_text=_("Words in the public note.")
    )
    assignment = IdFilter(
        queryset=Assignment.objects.all(),
        label=_("Assignment number"),
        help_text=_("The assignment's number in the tracker, as in its address (/assignments/12/)."),
    )
    recommendation = IdFilter(
        queryset=Recommendation.objects.all(),
        field_name="assignment__recommendation",
        label=_("Recommendation number"),
        help_text=_("The recommendation's number in the tracker, as in its address (/recommendations/12/)."),
    )
    event = IdChoiceFilter(
        queryset=Event.objects.all(),
        field_name="assignment__recommendation__event",
        label=_("Event"),
        help_text=_("The event its recommendation comes from."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Status"),
        help_text=_("The status it reports; choose several to see any of them."),
    )
    kind = django_filters.ChoiceFilter(
        choices=UpdateKind.choices,
        label=_("Kind of update"),
        help_text=_(
            "The actor's report (by its focal point or a coordinator on its behalf), "
            "or a coordinator's independent assessment."
        ),
    )
    since = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Dated on or after"), help_text=_("The day the status refers to.")
    )
    until = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("Dated on or before"),
        help_text=_("The day the status refers to."),
    )
    dataset = dataset_filter()
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=("date", "created_at"),
        field_labels={"date": _("Date"), "created_at": _("Recorded at")},
    )

    class Meta:
        model = StatusUpdate
        fields = [
            "search",
            "assignment",
            "recommendation",
            "event",
            "actor",
            "country",
            "region",
            "status",
            "kind",
            "since",
            "until",
            "dataset",
        ]
