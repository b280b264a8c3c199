"""One FilterSet per model: the list pages render `filterset.form`, the API uses them as filterset_class."""

import django_filters
from django import forms
from django.db.models import Q

from events.choices import ActorKind, Dataset, EventKind
from events.models import Actor, ActorGroup, Event


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: NumberFilter takes decimals, which neither a year nor an id is."""

    field_class = forms.IntegerField


def dataset_filter():
    """Where rows come from: `record` leaves out the demo and synthetic rows (every list has it)."""
    return django_filters.ChoiceFilter(choices=Dataset.choices, label="Data set")


class EventFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), method="filter_actor", label="Organiser or participant"
    )
    year = IntegerFilter(field_name="start_date", lookup_expr="year", min_value=1, max_value=9999, label="Year")
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label="Starts on or after")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label="Starts on or before")
    dataset = dataset_filter()
    ordering = django_filters.OrderingFilter(fields=("start_date", "title", "code"))

    class Meta:
        model = Event
        fields = ["search", "kind", "actor", "year", "starts_after", "starts_before", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value) | Q(place__icontains=value))

    def filter_actor(self, queryset, name, value):
        return queryset.filter(participations__actor__in=Actor.objects.subtree_ids([value.pk])).distinct()


class ActorFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=Actor.objects.all(), label="Belongs to")
    region = django_filters.ModelChoiceFilter(
        queryset=ActorGroup.objects.all(), field_name="groups", to_field_name="slug", label="Region or group"
    )
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.all(), field_name="participations__event", distinct=True, label="Took part in"
    )
    dataset = dataset_filter()
    ordering = django_filters.OrderingFilter(fields=("name", "kind", "iso_code"))

    class Meta:
        model = Actor
        fields = ["search", "kind", "parent", "region", "event", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(iso_code__iexact=value))
