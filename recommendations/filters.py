"""One FilterSet per model: the list pages render `filterset.form`, the API uses them as filterset_class."""

import django_filters
from django.db.models import Q

from events.filters import IntegerFilter, dataset_filter
from events.models import Actor, ActorGroup, Event
from recommendations.choices import (
    NO_REPORT,
    NO_REPORT_LABEL,
    AssignmentRole,
    RecommendationKind,
    Status,
    UpdateKind,
)
from recommendations.models import Assignment, Recommendation, StatusUpdate, Theme, overdue_q

STATUS_FILTER_CHOICES = [*Status.choices, (NO_REPORT, NO_REPORT_LABEL)]


class IdFilter(IntegerFilter):
    """An object's id, for tables too big for a select. Ids are 64-bit: a larger number could match
    nothing, and the database would reject it rather than say so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class _ActorScopedFilterSet(django_filters.FilterSet):
    """Filters shared by everything that hangs off an assignment: `actor_path` leads to its actor."""

    actor_path = "actor"

    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), method="filter_actor", label="Actor (with its sub-bodies)"
    )
    country = django_filters.CharFilter(method="filter_country", label="Country ISO code (with its bodies)")
    region = django_filters.ModelChoiceFilter(
        queryset=ActorGroup.objects.all(), to_field_name="slug", method="filter_region", label="Region or group"
    )

    def for_actors(self, queryset, actor_ids):
        # A list of ids, not a subquery: PostgreSQL can then read the assignments by actor index.
        return queryset.filter(**{f"{self.actor_path}__in": actor_ids})

    def filter_actor(self, queryset, name, value):
        return self.for_actors(queryset, Actor.objects.subtree_ids([value.pk]))

    def filter_country(self, queryset, name, value):
        roots = Actor.objects.filter(iso_code__iexact=value).values_list("pk", flat=True)
        return self.for_actors(queryset, Actor.objects.subtree_ids(roots))

    def filter_region(self, queryset, name, value):
        members = value.members.values_list("pk", flat=True)
        return self.for_actors(queryset, Actor.objects.subtree_ids(members))


class RecommendationFilterSet(_ActorScopedFilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")
    event = django_filters.ModelChoiceFilter(queryset=Event.objects.all())
    kind = django_filters.ChoiceFilter(choices=RecommendationKind.choices)
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", to_field_name="slug", label="Theme"
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_FILTER_CHOICES, method="filter_status", label="Has an assignment with status"
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    dataset = dataset_filter()
    ordering = django_filters.OrderingFilter(fields=("code", "due_date", ("event__start_date", "event")))

    class Meta:
        model = Recommendation
        fields = ["search", "event", "kind", "theme", "actor", "country", "region", "status", "due_before", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(title__icontains=value)
            | Q(text__icontains=value)
            | Q(source_quote__icontains=value)
        )

    def for_actors(self, queryset, actor_ids):
        # A subquery rather than a join, so a recommendation is listed once however many match.
        return queryset.filter(pk__in=Assignment.objects.filter(actor__in=actor_ids).values("recommendation_id"))

    def filter_status(self, queryset, name, value):
        status = "" if value == NO_REPORT else value
        return queryset.filter(pk__in=Assignment.objects.filter(status=status).values("recommendation_id"))


class AssignmentFilterSet(_ActorScopedFilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.all(), field_name="recommendation__event", label="Event"
    )
    # Plain ids for the big tables: a select of every row would not scale.
    recommendation = IdFilter(field_name="recommendation_id", label="Recommendation id")
    kind = django_filters.ChoiceFilter(
        choices=RecommendationKind.choices, field_name="recommendation__kind", label="Recommendation kind"
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), field_name="recommendation__themes", to_field_name="slug", label="Theme"
    )
    status = django_filters.MultipleChoiceFilter(choices=STATUS_FILTER_CHOICES, method="filter_status")
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices)
    # A choice rather than a BooleanFilter, which would read any other value as "any" instead of refusing it.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "Yes"), ("false", "No")], empty_label="Any", method="filter_overdue", label="Overdue"
    )
    updated_since = django_filters.DateFilter(
        field_name="status_date", lookup_expr="gte", label="Status reported for a date on or after"
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    dataset = dataset_filter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("recommendation__code", "recommendation"),
            ("actor__name", "actor"),
            "status",
            "due_date",
            "status_date",
            "updated_at",
        )
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
            "updated_since",
            "due_before",
            "dataset",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(recommendation__code__icontains=value)
            | Q(recommendation__title__icontains=value)
            | Q(actor__name__icontains=value)
            | Q(note__icontains=value)
        )

    def filter_status(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(status__in=["" if value == NO_REPORT else value for value in values])

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value == "true" else queryset.exclude(overdue_q())


class StatusUpdateFilterSet(_ActorScopedFilterSet):
    actor_path = "assignment__actor"

    search = django_filters.CharFilter(field_name="note", lookup_expr="icontains", label="Search notes")
    assignment = IdFilter(field_name="assignment_id", label="Assignment id")
    recommendation = IdFilter(field_name="assignment__recommendation_id", label="Recommendation id")
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.all(), field_name="assignment__recommendation__event"
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=UpdateKind.choices)
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Dated on or after")
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Dated on or before")
    dataset = dataset_filter()
    ordering = django_filters.OrderingFilter(fields=("date", "created_at"))

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
