"""One FilterSet per model: the list pages render `filterset.form`, the API uses them as filterset_class.

Every filter has a label a reader understands and a help text: the list pages show the labels,
the OpenAPI schema the help texts.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cvetracker.datasets import Dataset
from cvetracker.ids import NOT_AN_ID, as_id
from events.choices import ActorKind, EventKind
from events.models import Actor, ActorGroup, Event
from events.search import in_any_language


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: NumberFilter takes decimals, which a year is not."""

    field_class = forms.IntegerField


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's, with every label given and each descending one still lazy: django-filter
    formats "%s (descending)" when the class is defined, which leaves it English in every language."""

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            label = labels[field]
            choices += [(param, label), (f"-{param}", format_lazy(_("{field} (descending)"), field=label))]
        return choices


def dataset_filter():
    """Where rows come from: `record` leaves out the demo and synthetic rows (every list has it)."""
    return django_filters.ChoiceFilter(
        choices=Dataset.choices,
        label=_("Data set"),
        help_text=_("Record: the documents and what was reported; demo and synthetic rows are illustrative."),
    )


class IdChoiceField(forms.ModelChoiceField):
    """A row by its id, which must be one (cvetracker.ids): "١" or "1.0" is refused, not read as row 1."""

    def to_python(self, value):
        if value not in self.empty_values and as_id(value) is None:
            raise ValidationError(NOT_AN_ID, code="invalid_id")
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A row chosen by id; one that does not exist is a 400 naming the filter, never an empty list."""

    field_class = IdChoiceField


class CountryCodeField(forms.ModelChoiceField):
    """A country by its ISO 3166 code, in either case."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": _("No country has the code %(value)s.")})
        super().__init__(*args, widget=forms.TextInput(attrs={"size": 4, "maxlength": 2}), **kwargs)

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=Actor.objects.countries(), to_field_name="iso_code", **kwargs)


class EventFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Words in the title, code or place.")
    )
    kind = django_filters.ChoiceFilter(
        choices=EventKind.choices, label=_("Kind of event"), help_text=_("Conference, roundtable, summit…")
    )
    actor = IdChoiceFilter(
        queryset=Actor.objects.all(),
        method="filter_actor",
        label=_("Organiser or participant"),
        help_text=_("It organised or attended the event, itself or through one of its bodies."),
    )
    year = IntegerFilter(
        field_name="start_date",
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        label=_("Year"),
        help_text=_("The year it began."),
    )
    starts_after = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label=_("Starts on or after"),
        help_text=_("Its first day is this date or later."),
    )
    starts_before = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label=_("Starts on or before"),
        help_text=_("Its first day is this date or earlier."),
    )
    dataset = dataset_filter()
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=("start_date", "title", "code"),
        field_labels={"start_date": _("Start date"), "title": _("Title"), "code": _("Event code")},
    )

    class Meta:
        model = Event
        fields = ["search", "kind", "actor", "year", "starts_after", "starts_before", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(in_any_language("title", value) | Q(code__icontains=value) | Q(place__icontains=value))

    def filter_actor(self, queryset, name, value):
        return queryset.filter(participations__actor__in=Actor.objects.subtree_ids([value.pk])).distinct()


class ActorFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Words in the name or short name, or a country code.")
    )
    kind = django_filters.ChoiceFilter(
        choices=ActorKind.choices, label=_("Kind of actor"), help_text=_("Country, government body, parliament…")
    )
    parent = IdChoiceFilter(
        queryset=Actor.objects.all(),
        label=_("Belongs to"),
        help_text=_("The country or organisation it is directly part of."),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=ActorGroup.objects.all(),
        field_name="groups",
        to_field_name="slug",
        label=_("Region or group"),
        help_text=_("It is a member of this region or group."),
    )
    event = IdChoiceFilter(
        queryset=Event.objects.all(),
        field_name="participations__event",
        distinct=True,
        label=_("Took part in"),
        help_text=_("It organised or attended this event."),
    )
    dataset = dataset_filter()
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=("name", "kind", "iso_code"),
        field_labels={"name": _("Name"), "kind": _("Kind of actor"), "iso_code": _("Country code")},
    )

    class Meta:
        model = Actor
        fields = ["search", "kind", "parent", "region", "event", "dataset"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            in_any_language("name", value)
            | Q(short_name__icontains=value)
            | Q(iso_code__iexact=value)
            | Q(code__iexact=value)
        )
