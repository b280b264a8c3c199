"""The API of the imports — of status updates and of an event's recommendations and assignments:
each a template (GET) and an upload (POST, `dry_run` to preview).

The file is read and judged in the request: a dry run answers what would be recorded; otherwise
every row is recorded or none. Refusals are 422 with a stable `code`: the file's own
(`not_a_spreadsheet`, `macro_enabled`, …) as {"detail", "code"}, refused rows as `rows_refused`
with each row's number, column, rule code and message.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api import export
from api.export import XLSXRenderer, serialized_rows
from api.fields import IdField
from api.schema import ErrorSerializer
from api.serializers import AssignmentSerializer
from api.views import ExportMixin
from events.models import Event
from imports import recommendations, spreadsheet, updates
from imports.views import REFUSALS
from recommendations import permissions
from recommendations.filters import AssignmentFilterSet
from recommendations.models import Assignment

TEMPLATE_NAME = "status-updates-template"
FILE_REFUSALS = (
    "`not_a_spreadsheet`, `macro_enabled`, `password_protected`, `old_excel`, `too_large`, `too_many_rows`, "
    "`no_header`, `not_the_template`, `unknown_columns`, `missing_columns`"
)


class CanImportUpdates(BasePermission):
    message = REFUSALS["updates"]

    def has_permission(self, request, view):
        return permissions.can_import_updates(request.user)


class CanImportRecommendations(BasePermission):
    message = REFUSALS["recommendations"]

    def has_permission(self, request, view):
        return permissions.can_import_recommendations(request.user)


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


class UpdatesTemplateView(ExportMixin, GenericAPIView):
    """The template to fill: the assignments the user may report on (narrowed by the assignment
    list's filters), as the assignment export shows them, then the columns to fill."""

    queryset = Assignment.objects.select_related("recommendation__event", "actor", "last_update__author")
    filterset_class = AssignmentFilterSet
    permission_classes = [CanImportUpdates]
    pagination_class = None

    @extend_schema(
        summary="The template of status updates to import (XLSX by default, or ?format=csv)",
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, "The template: XLSX, unless ?format=csv.")},
    )
    def get(self, request):
        renderer = self.exported() or XLSXRenderer
        assignments = permissions.reportable_assignments(request.user, self.filter_queryset(self.get_queryset()))
        serializer = AssignmentSerializer(context={**self.get_serializer_context(), "expand": frozenset()})
        rows = serialized_rows(assignments, serializer)
        title = _("Status updates to record")
        return renderer.download(request, TEMPLATE_NAME, title, updates.template_columns(serializer), rows)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The filled-in template, XLSX or CSV.")
    dry_run = serializers.BooleanField(default=False, help_text="true: check every row and write nothing.")


class RefusalSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the spreadsheet (the header is row 1).")
    column = serializers.CharField(help_text="The template column at fault; empty for the row as a whole.")
    code = serializers.CharField(help_text="The rule's stable code, e.g. `evidence_required`, `date_in_future`.")
    message = serializers.CharField(help_text="The rule's message, in the request's language.")


class CreatedSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    assignment = serializers.IntegerField()
    status = serializers.CharField()
    date = serializers.DateField()
    id = serializers.IntegerField(allow_null=True, help_text="The new update's id; null in a dry run.")


class ImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = CreatedSerializer(many=True, help_text="The rows recorded (or to be recorded) as new updates.")
    left = serializers.ListField(
        child=serializers.IntegerField(), help_text="The rows left: already recorded, or not filled in."
    )
    refused = RefusalSerializer(many=True)


class RowsRefusedSerializer(ErrorSerializer, ImportResultSerializer):
    """422: nothing was recorded. A file that cannot be read answers `detail` and `code` alone;
    refused rows (`rows_refused`) add what the import found."""

    dry_run = serializers.BooleanField(required=False)
    created = CreatedSerializer(many=True, required=False)
    left = serializers.ListField(child=serializers.IntegerField(), required=False)
    refused = RefusalSerializer(many=True, required=False)


def import_schema(summary, upload, result, refused, what):
    """The schema of an import's POST: 200 for a dry run, 201 once written, 422 when refused."""
    return extend_schema(
        summary=summary,
        request={"multipart/form-data": upload},
        responses={
            200: OpenApiResponse(result, f"A dry run: what would be {what}."),
            201: OpenApiResponse(result, "Every row written or left."),
            422: OpenApiResponse(
                refused,
                f"The file cannot be read ({FILE_REFUSALS}), or rows are refused (`rows_refused`): nothing was "
                "written.",
            ),
        },
    )


class UpdatesImportView(GenericAPIView):
    parser_classes = [parsers.MultiPartParser]
    permission_classes = [CanImportUpdates]
    serializer_class = UploadSerializer

    @import_schema(
        "Import status updates from a filled-in template (focal points, coordinators)",
        UploadSerializer,
        ImportResultSerializer,
        RowsRefusedSerializer,
        "recorded",
    )
    def post(self, request):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        dry_run = upload.validated_data["dry_run"]
        rows = _read(updates, upload.validated_data["file"])
        result = (updates.preview if dry_run else updates.commit)(rows, request.user)
        created = [
            {
                "row": row,
                "assignment": update.assignment_id,
                "status": update.status,
                "date": update.date,
                "id": update.pk,
            }
            for row, update in result.created
        ]
        return _answer(updates, result, dry_run, created=created)


def _read(kind, file):
    try:
        return kind.read(file)
    except spreadsheet.FileRefused as refused:
        raise Unprocessable(refused.message, code=refused.code) from None


def _answer(kind, result, dry_run, **body):
    """200 for a dry run, 201 once recorded, 422 with every refused row (then nothing was recorded)."""
    body = {
        "dry_run": dry_run,
        **body,
        "left": result.left,
        "refused": [
            {"row": r.row, "column": kind.column(r), "code": r.code, "message": r.message} for r in result.refused
        ],
    }
    if result.refused:
        return Response({"detail": spreadsheet.refused_message(result), "code": "rows_refused", **body}, status=422)
    return Response(body, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


# An event's recommendations and assignments --------------------------------------------------------


class EventQuerySerializer(serializers.Serializer):
    event = IdField(queryset=Event.objects.all(), help_text="The event's id.")


class RecommendationsTemplateView(ExportMixin, GenericAPIView):
    """The template of an event's recommendations and assignments: the assignment export with
    `expand=recommendation,actor`, and a row for each recommendation nobody is assigned; also its export."""

    permission_classes = [CanImportRecommendations]
    pagination_class = None
    queryset = Event.objects.none()  # for the schema: the event is a query parameter

    @extend_schema(
        summary="The template of an event's recommendations and assignments (XLSX by default, or ?format=csv)",
        parameters=[EventQuerySerializer],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, "The template: XLSX, unless ?format=csv.")},
    )
    def get(self, request):
        query = EventQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        event = query.validated_data["event"]
        renderer = self.exported() or XLSXRenderer
        serializer = recommendations.template_serializer(self.get_serializer_context())
        rows = recommendations.template_rows(event, serializer)
        title = _("Recommendations and assignments")
        filename = f"recommendations-{event.code}"
        return renderer.download(request, filename, title, export.columns(serializer), rows)


class RecommendationsUploadSerializer(UploadSerializer):
    file = serializers.FileField(help_text="The filled-in template (or the export), XLSX or CSV.")
    event = IdField(queryset=Event.objects.all(), help_text="The event whose recommendations the file holds.")


class ChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    object = serializers.ChoiceField(choices=["recommendation", "assignment"])
    code = serializers.CharField(help_text="The recommendation's code.")
    actor = serializers.CharField(
        allow_null=True, help_text="An assignment's actor: a country's ISO code or a body's code."
    )
    id = serializers.IntegerField(allow_null=True, help_text="null for what a dry run would create.")
    fields = serializers.ListField(child=serializers.CharField(), help_text="The fields changed; empty when created.")


class RecommendationsResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = ChangeSerializer(many=True, help_text="The recommendations and assignments created (or to be).")
    changed = ChangeSerializer(many=True, help_text="Those changed (or to be), with the fields changed.")
    left = serializers.ListField(child=serializers.IntegerField(), help_text="The rows that change nothing.")
    refused = RefusalSerializer(many=True)


class RecommendationsRefusedSerializer(ErrorSerializer, RecommendationsResultSerializer):
    """422: nothing was written. A file that cannot be read answers `detail` and `code` alone."""

    dry_run = serializers.BooleanField(required=False)
    created = ChangeSerializer(many=True, required=False)
    changed = ChangeSerializer(many=True, required=False)
    left = serializers.ListField(child=serializers.IntegerField(), required=False)
    refused = RefusalSerializer(many=True, required=False)


class RecommendationsImportView(GenericAPIView):
    parser_classes = [parsers.MultiPartParser]
    permission_classes = [CanImportRecommendations]
    serializer_class = RecommendationsUploadSerializer

    @import_schema(
        "Import an event's recommendations and assignments from a spreadsheet (coordinators)",
        RecommendationsUploadSerializer,
        RecommendationsResultSerializer,
        RecommendationsRefusedSerializer,
        "created and changed",
    )
    def post(self, request):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        dry_run, event = upload.validated_data["dry_run"], upload.validated_data["event"]
        rows = _read(recommendations, upload.validated_data["file"])
        result = (recommendations.preview if dry_run else recommendations.commit)(rows, request.user, event)
        return _answer(
            recommendations,
            result,
            dry_run,
            created=[_change(change) for change in result.created],
            changed=[_change(change) for change in result.changed],
        )


def _change(change):
    obj = change.object
    if isinstance(obj, Assignment):
        code, actor, kind = obj.recommendation.code, obj.actor.key, "assignment"
    else:
        code, actor, kind = obj.code, None, "recommendation"
    return {
        "row": change.row,
        "object": kind,
        "code": code,
        "actor": actor,
        "id": obj.pk,
        "fields": list(change.fields),
    }
