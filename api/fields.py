"""Serializer fields shared by the resources."""

from rest_framework import serializers

from cvetracker.ids import NOT_AN_ID, as_id
from recommendations.choices import CURRENT_STATUS_CHOICES, status_slug


class DisplayUrlField(serializers.URLField):
    """The absolute URL of the web page that shows the object: `page(obj)`, by default its get_absolute_url."""

    def __init__(self, page=None, help_text="The web page that shows it.", **kwargs):
        self.page = page or (lambda obj: obj.get_absolute_url())
        super().__init__(source="*", read_only=True, help_text=help_text, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(self.page(obj))


class CurrentStatusField(serializers.ChoiceField):
    """A status slug where "no report yet" (stored as '') reads `no_report`, as in the filters."""

    def __init__(self, **kwargs):
        super().__init__(choices=CURRENT_STATUS_CHOICES, read_only=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(status_slug(value))


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object by its id, which must be one (cvetracker.ids): 1.5 is not read as 1, nor
    "١" as 1, and 1e400 is a 400 rather than an OverflowError."""

    default_error_messages = {"invalid_id": NOT_AN_ID}

    def to_internal_value(self, data):
        if isinstance(data, int | float | str) and as_id(data) is None:
            self.fail("invalid_id")
        return super().to_internal_value(as_id(data) or data)


class ExpandableField(serializers.PrimaryKeyRelatedField):
    """A related object's id; with `?expand=<field name>` the object itself, as `serializer` shows it.

    The view lists what may be expanded, checks the request and puts the names in the
    serializer context (`expand`); it also joins or prefetches what the nested object needs.
    """

    def __init__(self, serializer, **kwargs):
        self.serializer_class = serializer
        super().__init__(read_only=True, **kwargs)

    @property
    def is_expanded(self):
        return self.field_name in self.context.get("expand", ())

    def nested(self):
        # The nested object is shown plain: expansions apply to the top level only.
        return self.serializer_class(context={**self.context, "expand": frozenset()})

    def use_pk_only_optimization(self):
        return not self.is_expanded

    def to_representation(self, value):
        if self.is_expanded:
            return self.nested().to_representation(value)
        return super().to_representation(value)


class ProgressSerializer(serializers.Serializer):
    """Progress figures of a set of assignments, as recommendations.reads.progress computes them."""

    total = serializers.IntegerField(help_text="Assignments.")
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    partially_implemented = serializers.IntegerField()
    implemented = serializers.IntegerField()
    stalled = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    no_report = serializers.IntegerField(help_text="Assignments with no report yet.")
    overdue = serializers.IntegerField(help_text="Past their due date and neither implemented nor not applicable.")
    share_implemented = serializers.FloatField(
        allow_null=True, help_text="Implemented ÷ assignments that apply (0–1); null when none apply."
    )
