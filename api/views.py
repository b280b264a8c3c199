"""The API's views: declarations over the shared FilterSets, the permission rules, the workflow
and the progress figures. No rule is decided here; writes to assignments and status updates
are calls to recommendations.workflow, whose errors api.exceptions turns into 4xx JSON.
"""

from functools import cached_property, partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api import serializers
from api.export import EXPORTS, columns, serialized_rows, sheet_title
from api.pagination import PageNumberPagination
from api.parsers import JSONParser
from api.permissions import ReadOrCoordinator, ReadOrModelPermissions, ReadOrSignedIn
from api.schema import ProgressSchema
from cvetracker.read_cache import CachedReadMixin, cached_api_response
from events.filters import ActorFilterSet, EventFilterSet
from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations import workflow
from recommendations.filters import AssignmentFilterSet, RecommendationFilterSet, StatusUpdateFilterSet
from recommendations.models import Assignment, Recommendation, StatusUpdate, Theme
from recommendations.reads import figures, progress
from security import tokens
from security.throttling import SignInRateThrottle, SignInThrottled

WITHOUT_PUT = ["get", "post", "patch", "delete", "head", "options"]  # changes are partial: PATCH


class ExportMixin:
    """Lets `?format=csv|xlsx` (or the Accept header) choose an export where the view answers with
    one (api.export). Only for reads: any other answer (OPTIONS, a write) has no export."""

    def exports(self):
        return True

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.exports() and self.request.method in ("GET", "HEAD"):
            return [*renderers, *(export() for export in EXPORTS)]
        return renderers

    def exported(self):
        """The export asked for, or None for JSON."""
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer if isinstance(renderer, EXPORTS) else None


class ResourceViewSet(
    ExportMixin, CachedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What every resource shares: `?expand=`, progress figures on the objects shown, exported lists."""

    lookup_value_regex = "[0-9]+"  # ASCII digits: int() would also read "/api/events/١/" as event 1

    # Field name → the related rows its nested object needs (prefetch_related lookups).
    expandable = {}
    # Sets `obj.progress` on a list of objects in a fixed number of queries (recommendations.reads.figures.for_*).
    attach_progress = None

    @cached_property
    def expand(self):
        names = {name.strip() for value in self.request.query_params.getlist("expand") for name in value.split(",")}
        names.discard("")
        unknown = names - set(self.expandable)
        if unknown:
            # The names are the API's own (field names), never translated.
            unknown = ", ".join(sorted(unknown))
            if self.expandable:
                message = _("Cannot expand %(unknown)s: choose from %(choices)s.") % {
                    "unknown": unknown,
                    "choices": ", ".join(sorted(self.expandable)),
                }
            else:
                message = _("Cannot expand %(unknown)s: nothing here can be expanded.") % {"unknown": unknown}
            raise ValidationError({"expand": [message]})
        return frozenset(names)

    def get_queryset(self):
        queryset = super().get_queryset()
        for name in self.expand:
            queryset = queryset.prefetch_related(*self.expandable[name])
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expand": self.expand}

    def get_serializer(self, *args, **kwargs):
        if self.attach_progress and args and args[0] is not None:
            self.attach_progress(list(args[0]) if kwargs.get("many") else [args[0]])
        return super().get_serializer(*args, **kwargs)

    def exports(self):
        return self.action == "list"

    def list(self, request, *args, **kwargs):
        if export := self.exported():
            serializer = self.get_serializer()
            rows = serialized_rows(self.filter_queryset(self.get_queryset()), serializer, self.attach_progress)
            title = sheet_title(self.queryset.model)
            return export.download(request, self.basename, title, columns(serializer), rows)
        return super().list(request, *args, **kwargs)

    def _input(self, serializer_class):
        """The request body, validated by one of the workflow's input serializers."""
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _shown(self, obj, code=status.HTTP_200_OK):
        """The response for a written object, read back as the list shows it."""
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)


class ModelWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin):
    """Coordinators (the role's model permissions) create, change (PATCH) and delete; each write is
    checked by Model.full_clean in the serializer and made in one transaction."""

    permission_classes = [ReadOrModelPermissions]
    http_method_names = WITHOUT_PUT

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()
        if self.attach_progress:
            self.attach_progress([serializer.instance])

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()


@extend_schema_view(
    list=extend_schema(summary="List events"),
    retrieve=extend_schema(summary="An event"),
    create=extend_schema(summary="Add an event (coordinators)"),
    partial_update=extend_schema(summary="Change an event (coordinators)"),
    destroy=extend_schema(summary="Delete an event without recommendations (coordinators)"),
)
class EventViewSet(ModelWriteMixin, ResourceViewSet):
    """Meetings whose recommendations are tracked, with their participants, sources and progress."""

    queryset = Event.objects.select_related("host_country").prefetch_related(
        Prefetch("participations", EventParticipation.objects.select_related("actor")),
        Prefetch("documents", SourceDocument.objects.defer("text")),
    )
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    attach_progress = staticmethod(figures.for_events)

    def perform_update(self, serializer):
        workflow.change_event(event=serializer.instance, by=self.request.user, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List actors"),
    retrieve=extend_schema(summary="An actor"),
    create=extend_schema(summary="Add an actor (coordinators)"),
    partial_update=extend_schema(summary="Change an actor (coordinators)"),
    destroy=extend_schema(summary="Delete an actor nothing refers to (coordinators)"),
)
class ActorViewSet(ModelWriteMixin, ResourceViewSet):
    """Countries and bodies: those who organise, attend and are responsible for recommendations."""

    queryset = Actor.objects.select_related("parent").prefetch_related("groups")
    serializer_class = serializers.ActorWithProgressSerializer
    filterset_class = ActorFilterSet
    attach_progress = staticmethod(figures.for_actors)

    # The serializer checks the input (Model.full_clean, as everywhere); the write is the workflow's,
    # which checks again under its lock on the bodies above (no cycle made by two writers at once).
    def perform_create(self, serializer):
        serializer.instance = workflow.save_actor(by=self.request.user, actor=Actor(**serializer.validated_data))
        self.attach_progress([serializer.instance])

    def perform_update(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        workflow.save_actor(by=self.request.user, actor=serializer.instance)


@extend_schema_view(
    list=extend_schema(summary="List recommendations"),
    retrieve=extend_schema(summary="A recommendation"),
    create=extend_schema(summary="Add a recommendation (coordinators)"),
    partial_update=extend_schema(summary="Change a recommendation (coordinators)"),
    destroy=extend_schema(summary="Delete a recommendation without assignments (coordinators)"),
)
class RecommendationViewSet(ModelWriteMixin, ResourceViewSet):
    """Agreed steps, proposals and recommendations of events, quoted from their source documents."""

    queryset = (
        Recommendation.objects.select_related("event", "source_document", "restates")
        .defer("source_document__text")
        .prefetch_related("themes")
    )
    serializer_class = serializers.RecommendationWithProgressSerializer
    filterset_class = RecommendationFilterSet
    attach_progress = staticmethod(figures.for_recommendations)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        workflow.change_recommendation(
            recommendation=serializer.instance, by=self.request.user, themes=changes.pop("themes", None), **changes
        )


@extend_schema_view(list=extend_schema(summary="List regions and groups"), retrieve=extend_schema(summary="A region"))
class RegionViewSet(ResourceViewSet):
    """Named sets of actors, e.g. a region ("each country in the region"): filter values for `region`."""

    queryset = ActorGroup.objects.prefetch_related(Prefetch("members", Actor.objects.only("pk")))
    serializer_class = serializers.RegionSerializer


@extend_schema_view(list=extend_schema(summary="List themes"), retrieve=extend_schema(summary="A theme"))
class ThemeViewSet(ResourceViewSet):
    """Themes of recommendations: filter values for `theme`."""

    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer


@extend_schema_view(
    list=extend_schema(summary="List assignments"),
    retrieve=extend_schema(summary="An assignment"),
)
class AssignmentViewSet(ResourceViewSet):
    """Who is responsible for which recommendation, with the current status from the latest report.

    Coordinators create, change and delete assignments; the workflow applies its rules.
    """

    queryset = Assignment.objects.select_related("recommendation__event", "actor", "last_update__author")
    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilterSet
    permission_classes = [ReadOrCoordinator]
    http_method_names = WITHOUT_PUT
    expandable = {
        "recommendation": [
            Prefetch("recommendation__source_document", SourceDocument.objects.defer("text")),
            "recommendation__restates",
            "recommendation__themes",
        ],
        "actor": ["actor__parent", "actor__groups"],
    }

    @extend_schema(
        summary="Assign a recommendation to an actor (coordinators)",
        request=serializers.AssignmentCreateSerializer,
        responses={201: serializers.AssignmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(serializers.AssignmentCreateSerializer)
        recommendation, actor = data.pop("recommendation"), data.pop("actor")
        result = workflow.assign(recommendation=recommendation, actors=[actor], by=request.user, **data)
        if not result.created:
            message = _("%(actor)s is already assigned to %(code)s.") % {"actor": actor, "code": recommendation.code}
            raise ValidationError({"actor": [message]})
        return self._shown(result.created[0], status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an assignment's role, due date or note (coordinators)",
        request=serializers.AssignmentChangeSerializer,
        responses=serializers.AssignmentSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        assignment = self.get_object()
        changes = self._input(serializers.AssignmentChangeSerializer)
        version = changes.pop("version")
        workflow.change_assignment(assignment=assignment, by=request.user, expected_version=version, **changes)
        return self._shown(assignment)

    @extend_schema(
        summary="Remove an assignment made in error, if nobody has reported on it (coordinators)",
        parameters=[serializers.AssignmentVersionSerializer],
    )
    def destroy(self, request, *args, **kwargs):
        assignment = self.get_object()
        query = serializers.AssignmentVersionSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        workflow.unassign(assignment=assignment, by=request.user, expected_version=query.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Assign a recommendation to every country of a region (coordinators)",
        request=serializers.AssignRegionSerializer,
        responses={201: serializers.AssignRegionResultSerializer, 200: serializers.AssignRegionResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="assign-region")
    def assign_region(self, request):
        data = self._input(serializers.AssignRegionSerializer)
        recommendation, region = data.pop("recommendation"), data.pop("region")
        try:
            result = workflow.assign_to_group(recommendation=recommendation, group=region, by=request.user, **data)
        except DjangoValidationError as error:
            raise _renamed(error, group="region") from None
        shown = self.get_queryset().filter(recommendation=recommendation)
        body = {
            "created": shown.filter(pk__in=[assignment.pk for assignment in result.created]),
            "already_assigned": shown.filter(actor__in=result.existing),
        }
        context = self.get_serializer_context()
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(serializers.AssignRegionResultSerializer(body, context=context).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="List status updates"),
    retrieve=extend_schema(summary="A status update"),
)
class StatusUpdateViewSet(ResourceViewSet):
    """Dated reports on assignments, newest first. Append-only: PUT, PATCH and DELETE answer 405;
    a correction is a new update whose `corrects` names the one it replaces."""

    queryset = (
        StatusUpdate.objects.select_related("assignment__recommendation", "assignment__actor", "author")
        .prefetch_related("files")
        .annotate(corrected_by=Subquery(StatusUpdate.objects.filter(corrects=OuterRef("pk")).values("pk")[:1]))
    )
    serializer_class = serializers.StatusUpdateSerializer
    filterset_class = StatusUpdateFilterSet
    permission_classes = [ReadOrSignedIn]
    parser_classes = [JSONParser, parsers.MultiPartParser]  # multipart: a report with evidence files
    expandable = {"assignment": ["assignment__recommendation__event", "assignment__last_update__author"]}

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise MethodNotAllowed(
            request.method, _("Status updates are append-only: to correct one, record a new update with `corrects`.")
        )

    @extend_schema(
        summary="Record a status update (focal points for their actors, coordinators for any)",
        request={
            "application/json": serializers.StatusUpdateCreateSerializer,
            "multipart/form-data": serializers.StatusUpdateUploadSerializer,
        },
        responses={201: serializers.StatusUpdateSerializer},
    )
    def create(self, request, *args, **kwargs):
        if request.content_type.startswith("multipart/"):
            report = self._input(serializers.StatusUpdateUploadSerializer)
            report["files"] = tuple(report["files"])
        else:
            report = self._input(serializers.StatusUpdateCreateSerializer)
        update = workflow.record_status_update(workflow.Report(author=request.user, **report))
        # The list annotates `corrected_by`; nothing corrects an update just recorded. Its assignment
        # is the row the workflow has just saved, so nothing needs reading back.
        update.corrected_by = None
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


class ProgressView(ExportMixin, GenericAPIView):
    """Progress figures of the assignments the filters select: counts per status, no report yet,
    overdue, share implemented; with `by`, a row per event, recommendation, actor, theme or status."""

    queryset = Assignment.objects.all()
    filterset_class = AssignmentFilterSet
    pagination_class = None
    schema = ProgressSchema()

    @extend_schema(
        summary="Progress figures, filterable like the assignment list",
        parameters=[serializers.ProgressQuerySerializer],
        responses=serializers.ProgressReportSerializer,
    )
    def get(self, request):
        return cached_api_response(request, partial(self._report, request))

    def _report(self, request):
        query = serializers.ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        by, as_of = query.validated_data.get("by"), query.validated_data.get("as_of")
        basis = query.validated_data["basis"]
        assignments = self.filter_queryset(self.get_queryset())
        filters = (name for name in self.filterset_class.base_filters if name != "ordering")
        every = not any(value for name in filters for value in request.query_params.getlist(name))
        # Of every assignment today, on PostgreSQL, the figures come from the running totals.
        summary = progress.summary_of_all(as_of, basis) if every else progress.summary(assignments, as_of, basis)
        if export := self.exported():
            # The rows if there is a breakdown, else the summary as one row.
            row = serializers.ProgressRowSerializer() if by else serializers.ProgressSerializer()
            values = _breakdown(assignments, by, as_of, basis) if by else [summary]
            rows = (row.to_representation(one) for one in values)
            filename = f"progress-by-{by}" if by else "progress"
            return export.download(request, filename, _("Progress"), columns(row), rows)
        pages = PageNumberPagination()
        if by in progress.GROUPS:
            # A page of groups first, then the figures of those alone: a page costs the same at any size.
            page = pages.paginate_queryset(progress.groups(assignments, by, as_of), request, view=self)
            if every and as_of is None and by in progress.TALLIED:
                rows = progress.breakdown_of_every(by, page, basis)
            else:
                rows = progress.breakdown_of(assignments, by, page, as_of, basis)
        elif by == progress.MONTH:
            # The months first, then the figures of a page of them alone (one query however many).
            rows = progress.by_month(
                assignments, pages.paginate_queryset(progress.month_ends(assignments, as_of), request, view=self)
            )
        else:
            rows = progress.breakdown(assignments, by, as_of, basis) if by else []
            rows = pages.paginate_queryset(rows, request, view=self)
        report = {
            "as_of": as_of,
            "basis": basis,
            "by": by,
            "summary": summary,
            "count": pages.count(),
            "next": pages.get_next_link(),
            "previous": pages.get_previous_link(),
            "breakdown": rows,
        }
        return Response(serializers.ProgressReportSerializer(report).data)


def _breakdown(assignments, by, as_of, basis):
    """Every row of a breakdown `by` a dimension or by month."""
    if by == progress.MONTH:
        return progress.every_month(assignments, as_of)
    return progress.breakdown(assignments, by, as_of, basis)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the user's API token: the same one until it expires or
    is revoked (security/tokens.py), then a new one."""

    parser_classes = [JSONParser, parsers.FormParser]
    throttle_classes = [SignInRateThrottle]
    # The credentials in the body are what counts: an expired or revoked token still sent in the
    # header must not stand in the way of getting a new one.
    authentication_classes = []

    def throttled(self, request, wait):
        raise SignInThrottled(wait)

    @extend_schema(
        summary="Get an API token", request=AuthTokenSerializer, responses=serializers.TokenSerializer, auth=[]
    )
    def post(self, request, *args, **kwargs):
        credentials = self.get_serializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        token = tokens.issue(credentials.validated_data["user"])
        return Response(serializers.TokenSerializer({"token": token.key, "expires": tokens.expires(token)}).data)


def _renamed(error, **names):
    """The workflow's ValidationError with its field names spelled as the API spells them."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError({names.get(field, field): errors for field, errors in error.error_dict.items()})


@csrf_exempt  # whatever the method, the answer is 404, not a CSRF page
def not_found(request):
    """Any other path under /api/: a JSON 404 like the API's own."""
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
