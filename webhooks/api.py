"""The webhooks in the API, for coordinators only (permissions.can_manage_webhooks): their endpoints
(`/api/webhooks/`) and each one's delivery log, to read (`/api/webhooks/<id>/deliveries/`)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api.serializers import ModelCleanMixin
from recommendations import permissions
from webhooks.models import Delivery, Endpoint, EventType


class WebhookManagers(BasePermission):
    message = _("Only coordinators can manage webhooks.")

    def has_permission(self, request, view):
        return bool(request.user and permissions.can_manage_webhooks(request.user))


class EventTypesField(serializers.MultipleChoiceField):
    """A list of event types, each once, in their declared order (DRF's field gives a set); a wrong
    item is a plain message under the field, as every 400 of the API is."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return self.to_representation(super().to_internal_value(data))

    def to_representation(self, value):
        return [name for name in EventType.values if name in value]


class EndpointSerializer(ModelCleanMixin, serializers.ModelSerializer):
    event_types = EventTypesField(choices=EventType.choices, allow_empty=False, help_text="What it is told of.")
    secret = serializers.CharField(
        read_only=True, help_text="The Standard Webhooks signing secret (`whsec_…`): verify each delivery with it."
    )
    disabled_reason = serializers.ChoiceField(
        choices=Endpoint._meta.get_field("disabled_reason").choices,
        read_only=True,
        allow_null=True,
        source="disabled_reason_or_none",
        help_text="`failures`: disabled after repeated failed deliveries; `coordinator`: by hand; null while active.",
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "active",
            "secret",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = ["consecutive_failures", "disabled_at", "created_at"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "response_status",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
            "payload",
        ]


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints (coordinators)"),
    retrieve=extend_schema(summary="A webhook endpoint (coordinators)"),
    create=extend_schema(summary="Register a webhook endpoint (coordinators)"),
    partial_update=extend_schema(summary="Change, disable or enable a webhook endpoint (coordinators)"),
    destroy=extend_schema(summary="Delete a webhook endpoint and its delivery log (coordinators)"),
)
class EndpointViewSet(viewsets.ModelViewSet):
    """Where changes are POSTed, signed per Standard Webhooks (docs/operations.md#webhooks)."""

    queryset = Endpoint.objects.all()
    serializer_class = EndpointSerializer
    permission_classes = [WebhookManagers]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(created_by=self.request.user)

    @extend_schema(
        summary="An endpoint's delivery log, newest first (coordinators)", responses=DeliverySerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(self.get_object().deliveries.all())
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(summary="Give an endpoint a new signing secret (coordinators)", request=None)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        endpoint.rotate_secret()
        return Response(self.get_serializer(endpoint).data)
