"""What the API shows of each object, and the small input serializers of the workflow's writes.

Each object shows related objects by id plus a readable label (`actor` and `actor_name`),
and `display_url`, the web page that shows it. Events, actors and recommendations are plain
model writes checked by Model.full_clean (the same checks as the admin); assignments and status
updates are written only by recommendations.workflow, so their inputs mirror its arguments.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers

from api.fields import CurrentStatusField, DisplayUrlField, ExpandableField, IdField, ProgressSerializer
from api.pagination import COUNT_HELP, PageQuerySerializer
from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations import permissions
from recommendations.choices import AssignmentRole, Status, UpdateKind
from recommendations.models import Assignment, EvidenceFile, Recommendation, StatusUpdate, Theme
from recommendations.reads import progress


class BaseModelSerializer(serializers.ModelSerializer):
    """Related objects the model declares are written by id as IdField reads them."""

    serializer_related_field = IdField


class ModelCleanMixin:
    """Run Model.full_clean (field checks, clean(), unique and check constraints) on the would-be
    object before saving: the API refuses what the admin refuses, with the same messages."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        many_to_many = [field.name for field in self.Meta.model._meta.many_to_many]
        candidate = copy.copy(self.instance) if self.instance else self.Meta.model()
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(candidate, name, value)
        candidate.full_clean(exclude=many_to_many)
        return attrs


def _reader(field):
    """The user the answer is for; without a request, an anonymous reader (who sees least)."""
    request = field.context.get("request")
    return request.user if request is not None else AnonymousUser()


@extend_schema_field(OpenApiTypes.STR)
class AuthorNameField(serializers.Field):
    """Who recorded an update, as permissions.author_name shows it to the reader."""

    def __init__(self, **kwargs):
        help_text = "The author's full name, else username; null for anonymous readers and deleted users."
        super().__init__(source="*", read_only=True, allow_null=True, help_text=help_text, **kwargs)

    def to_representation(self, update):
        return permissions.author_name(_reader(self), update)


@extend_schema_field(OpenApiTypes.STR)
class InternalNoteField(serializers.Field):
    """The update's internal note, as permissions.internal_note shows it to the reader."""

    def __init__(self, **kwargs):
        help_text = (
            "For coordinators, viewers and the focal points of the actor and of the bodies above and below "
            "it; null for everyone else."
        )
        super().__init__(source="*", read_only=True, allow_null=True, help_text=help_text, **kwargs)

    def to_representation(self, update):
        return permissions.internal_note(_reader(self), update)


# Every object's provenance, read-only: facts are written as `record`; demo and synthetic rows by commands.
DATASET = {
    "dataset": {
        "read_only": True,
        "help_text": "`record`: from the documents or entered for real; `demo`: illustrative; "
        "`synthetic`: generated for benchmarks. Filter with `?dataset=record` to leave the others out.",
    }
}
REPORTED_BY = {
    "reported_by": {
        "read_only": True,
        "help_text": "`focal_point`: the actor's own report; `coordinator`: recorded by a coordinator on the "
        "actor's behalf (and every independent assessment).",
    }
}


def _filtered_list(url_name, **query):
    return lambda obj: f"{reverse(url_name)}?{urlencode({name: getattr(obj, attr) for name, attr in query.items()})}"


# Read-only lookups ----------------------------------------------------------------------------


def in_each_language(field):
    """The columns of a translated field, one per language (title_en, title_ru, title_kk): the plain
    field gives the request's language, falling back to English (docs/api.md)."""
    return [build_localized_fieldname(field, code) for code in AVAILABLE_LANGUAGES]


class ThemeSerializer(BaseModelSerializer):
    display_url = DisplayUrlField(page=_filtered_list("recommendation-list", theme="slug"))

    class Meta:
        model = Theme
        fields = ["id", "name", *in_each_language("name"), "slug", "display_url"]


class RegionSerializer(BaseModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Actor ids.")
    display_url = DisplayUrlField(page=_filtered_list("actor-list", region="slug"))

    class Meta:
        model = ActorGroup
        fields = ["id", "name", *in_each_language("name"), "slug", "description", "members", "display_url"]


# Events, actors, recommendations ----------------------------------------------------------------


class ActorSerializer(ModelCleanMixin, BaseModelSerializer):
    parent = IdField(queryset=Actor.objects.all(), allow_null=True, required=False, help_text="The body it belongs to.")
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    regions = serializers.SlugRelatedField(source="groups", slug_field="slug", many=True, read_only=True)
    display_url = DisplayUrlField()

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            *in_each_language("name"),
            "short_name",
            "kind",
            "iso_code",
            "code",
            "parent",
            "parent_name",
            "regions",
            "note",
            "dataset",
            "display_url",
        ]
        extra_kwargs = DATASET


class ActorWithProgressSerializer(ActorSerializer):
    progress = ProgressSerializer(
        read_only=True, help_text="Its assignments' figures, its sub-bodies' assignments included."
    )

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "progress"]


class ParticipationSerializer(BaseModelSerializer):
    actor_name = serializers.CharField(source="actor.name", read_only=True)

    class Meta:
        model = EventParticipation
        fields = ["actor", "actor_name", "role", "note"]


class SourceDocumentSerializer(BaseModelSerializer):
    class Meta:
        model = SourceDocument
        fields = ["id", "title", "publisher", "kind", "published_on", "date_note", "language", "location"]


class EventSerializer(ModelCleanMixin, BaseModelSerializer):
    host_country_name = serializers.CharField(source="host_country.name", read_only=True, allow_null=True)
    participants = ParticipationSerializer(
        source="participations", many=True, read_only=True, help_text="Organisers, participants, addressees."
    )
    documents = SourceDocumentSerializer(many=True, read_only=True)
    progress = ProgressSerializer(read_only=True, help_text="Figures of the assignments of its recommendations.")
    display_url = DisplayUrlField()

    class Meta:
        model = Event
        fields = [
            "id",
            "code",
            "title",
            *in_each_language("title"),
            "kind",
            "start_date",
            "end_date",
            "date_note",
            "place",
            "host_country",
            "host_country_name",
            "summary",
            "participants_note",
            "participants",
            "documents",
            "progress",
            "dataset",
            "display_url",
        ]
        extra_kwargs = DATASET


class RecommendationSerializer(ModelCleanMixin, BaseModelSerializer):
    event_title = serializers.CharField(source="event.title", read_only=True)
    source_document_title = serializers.CharField(source="source_document.title", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Theme.objects.all(), required=False)
    restates = IdField(
        queryset=Recommendation.objects.all(),
        allow_null=True,
        required=False,
        help_text="An earlier event's recommendation that this one repeats.",
    )
    restates_code = serializers.CharField(source="restates.code", read_only=True, allow_null=True)
    source_quote_language = serializers.CharField(
        source="source_document.language",
        read_only=True,
        help_text="The language of the source quote, its document's: the quote is verbatim, never translated.",
    )
    display_url = DisplayUrlField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "code",
            "sequence",
            "kind",
            "title",
            *in_each_language("title"),
            "text",
            *in_each_language("text"),
            "event",
            "event_title",
            "source_document",
            "source_document_title",
            "source_quote",
            "source_quote_language",
            "source_note",
            "themes",
            "due_date",
            "milestone",
            "due_date_note",
            "restates",
            "restates_code",
            "dataset",
            "display_url",
        ]
        extra_kwargs = DATASET


class RecommendationWithProgressSerializer(RecommendationSerializer):
    progress = ProgressSerializer(read_only=True, help_text="Its assignments' figures; `total` counts them.")

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "progress"]


# Assignments and status updates ---------------------------------------------------------------


class LastUpdateSerializer(BaseModelSerializer):
    author_name = AuthorNameField()

    class Meta:
        model = StatusUpdate
        fields = ["id", "status", "date", "note", "evidence_url", "author_name", "reported_by", "created_at", "dataset"]
        extra_kwargs = {**DATASET, **REPORTED_BY}


class AssignmentSerializer(BaseModelSerializer):
    recommendation = ExpandableField(RecommendationSerializer)
    recommendation_code = serializers.CharField(source="recommendation.code", read_only=True)
    recommendation_title = serializers.CharField(source="recommendation.title", read_only=True)
    event = serializers.IntegerField(source="recommendation.event_id", read_only=True)
    event_title = serializers.CharField(source="recommendation.event.title", read_only=True)
    actor = ExpandableField(ActorSerializer)
    actor_name = serializers.CharField(source="actor.name", read_only=True)
    status = CurrentStatusField(help_text="Latest reported status; `no_report` when nobody has reported yet.")
    assessed_status = serializers.SerializerMethodField()
    disagrees = serializers.BooleanField(
        read_only=True,
        help_text="true: an independent assessment exists (`assessed_status`) and differs from the self-reported "
        "`status` (filter with `?disagrees=true`).",
    )
    is_overdue = serializers.BooleanField(read_only=True)
    last_update = LastUpdateSerializer(read_only=True, allow_null=True, help_text="The report that stands.")
    own_due_date = serializers.BooleanField(
        read_only=True,
        help_text="true: the due date is the assignment's own; false: it follows the recommendation's and moves "
        "with it.",
    )
    version = serializers.IntegerField(read_only=True, help_text="Send it back when you change the assignment.")
    display_url = DisplayUrlField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "recommendation",
            "recommendation_code",
            "recommendation_title",
            "event",
            "event_title",
            "actor",
            "actor_name",
            "role",
            "due_date",
            "own_due_date",
            "note",
            "status",
            "status_date",
            "assessed_status",
            "disagrees",
            "is_overdue",
            "last_update",
            "version",
            "created_at",
            "updated_at",
            "dataset",
            "display_url",
        ]
        extra_kwargs = DATASET

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices, allow_null=True))
    def get_assessed_status(self, assignment):
        """The latest independent assessment; null when not assessed."""
        return assignment.assessed_status or None


class AssignmentCreateSerializer(serializers.Serializer):
    recommendation = IdField(queryset=Recommendation.objects.select_related("event"))
    actor = IdField(queryset=Actor.objects.all())
    role = serializers.ChoiceField(choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Empty: it follows the recommendation's due date (and moves with it).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version you read (required). If someone changed the assignment since, nothing is "
        "written or removed and the answer is 409 Conflict.",
    )


class AssignmentChangeSerializer(AssignmentVersionSerializer):
    role = serializers.ChoiceField(choices=AssignmentRole.choices, required=False)
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="A date of its own, not before the event; null (or the recommendation's date) to follow the "
        "recommendation's.",
    )
    note = serializers.CharField(required=False, allow_blank=True)


class AssignRegionSerializer(serializers.Serializer):
    recommendation = IdField(queryset=Recommendation.objects.select_related("event"))
    region = serializers.SlugRelatedField(slug_field="slug", queryset=ActorGroup.objects.all())
    role = serializers.ChoiceField(choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to the recommendation's due date."
    )


class AssignRegionResultSerializer(serializers.Serializer):
    created = AssignmentSerializer(many=True, help_text="New assignments.")
    already_assigned = AssignmentSerializer(many=True, help_text="Countries that had it already, left as they were.")


class EvidenceFileSerializer(BaseModelSerializer):
    download_url = DisplayUrlField(help_text="Where to download it (an attachment), for whoever may see the update.")
    content_type = serializers.CharField(read_only=True, help_text="What its content was found to be.")

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "sha256", "download_url"]


class StatusUpdateSerializer(BaseModelSerializer):
    assignment = ExpandableField(AssignmentSerializer)
    recommendation = serializers.IntegerField(source="assignment.recommendation_id", read_only=True)
    recommendation_code = serializers.CharField(source="assignment.recommendation.code", read_only=True)
    actor = serializers.IntegerField(source="assignment.actor_id", read_only=True)
    actor_name = serializers.CharField(source="assignment.actor.name", read_only=True)
    internal_note = InternalNoteField()
    corrected_by = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The update that corrects this one; null if it stands."
    )
    author_name = AuthorNameField()
    files = EvidenceFileSerializer(many=True, read_only=True, help_text="Its evidence files, to download.")
    display_url = DisplayUrlField(page=lambda update: f"{update.assignment.get_absolute_url()}#update-{update.pk}")

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "assignment",
            "recommendation",
            "recommendation_code",
            "actor",
            "actor_name",
            "kind",
            "status",
            "date",
            "note",
            "internal_note",
            "evidence_url",
            "files",
            "corrects",
            "corrected_by",
            "author_name",
            "reported_by",
            "created_at",
            "dataset",
            "display_url",
        ]
        extra_kwargs = {**DATASET, **REPORTED_BY}


class StatusUpdateCreateSerializer(serializers.Serializer):
    assignment = IdField(queryset=Assignment.objects.all())
    kind = serializers.ChoiceField(
        choices=UpdateKind.choices,
        default=UpdateKind.REPORT,
        help_text="`report`: the actor's report, by its focal point or a coordinator on its behalf "
        "(see `reported_by`); `assessment`: a coordinator's independent one.",
    )
    status = serializers.ChoiceField(choices=Status.choices)
    date = serializers.DateField(help_text="The day the status refers to: not in the future, not before the event.")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Public.")
    internal_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Read by coordinators, viewers and the focal points of the actor and the bodies above and below it.",
    )
    evidence_url = serializers.URLField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="`implemented` needs evidence: this link or a file (sent as multipart/form-data).",
    )
    corrects = IdField(
        queryset=StatusUpdate.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The earlier update of the same assignment that this one corrects.",
    )


class FilesField(serializers.ListField):
    """Uploaded files; what is not a file gets a message in the 400's list of the field (a ListField
    would key them by position, which the API's errors never do)."""

    child = serializers.FileField()

    def run_child_validation(self, data):
        result, errors = [], []
        for item in data:
            try:
                result.append(self.child.run_validation(item))
            except serializers.ValidationError as error:
                errors += error.detail if isinstance(error.detail, list) else [error.detail]
        if errors:
            raise serializers.ValidationError(errors)
        return result


class StatusUpdateUploadSerializer(StatusUpdateCreateSerializer):
    """The same as multipart/form-data, with evidence files."""

    files = FilesField(
        required=False,
        default=list,
        help_text="Evidence files (repeat the field for several): PDF, images, office documents, judged by "
        "their content; see docs/api.md for the kinds and limits.",
    )


# Progress and authentication --------------------------------------------------------------------


class ProgressQuerySerializer(PageQuerySerializer):
    """The query of /api/progress/; `page` and `page_size` page the breakdown, as on the lists, since
    a row per recommendation can mean tens of thousands."""

    by = serializers.ChoiceField(
        choices=[*progress.DIMENSIONS, progress.MONTH],
        required=False,
        help_text="Also give a row of figures per event, recommendation, actor, theme or status; or per "
        "month, from that of the first dated report to this one (or that of `as_of`), each as it stood on "
        "the month's last day (the month of `as_of`, or this month, on that day or today).",
    )
    as_of = serializers.DateField(
        required=False, help_text="Figures as they stood on this day, rebuilt from the dated updates."
    )
    basis = serializers.ChoiceField(
        choices=progress.BASES,
        default=progress.REPORTED,
        help_text="`reported` (the default): each assignment counts with its self-reported status; `assessed`: "
        "with a coordinator's independent assessment where it has one (as it stood on `as_of`, if given), "
        "otherwise with its self-reported status. Not with `by=month`, which is as self-reported.",
    )

    def validate(self, data):
        if data.get("by") == progress.MONTH and data["basis"] == progress.ASSESSED:
            raise serializers.ValidationError(
                {"basis": [_("Progress by month is as self-reported only: leave out basis=assessed.")]},
                code="invalid",
            )
        return data


class _GroupSerializer(serializers.Serializer):
    key = serializers.JSONField(
        help_text="The group's id (event, recommendation, actor), slug (theme) or status slug; "
        '`none` (label "No theme") for assignments whose recommendation has no theme; by month, the month '
        '(`2015-06`, label "June 2015" in the request\'s language).'
    )
    label = serializers.CharField()


class ProgressRowSerializer(_GroupSerializer, ProgressSerializer):
    """One group's figures: which group (key, label), then the figures."""


class ProgressReportSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True)
    basis = serializers.ChoiceField(choices=progress.BASES, help_text="The basis of the figures (see `basis`).")
    by = serializers.CharField(allow_null=True)
    summary = ProgressSerializer()
    count = serializers.IntegerField(allow_null=True, help_text=COUNT_HELP)
    next = serializers.URLField(allow_null=True, help_text="The next page of breakdown rows.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page of breakdown rows.")
    breakdown = ProgressRowSerializer(many=True, help_text="Empty unless `by` is given; one page of rows.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as the header "Authorization: Token <token>".')
    expires = serializers.DateTimeField(help_text="When the token stops working; then ask for a new one.")
