"""What drf-spectacular cannot infer: error bodies, the CSV and XLSX formats of lists, `?expand=`.

ApiSchema is the API's DEFAULT_SCHEMA_CLASS. It adds to every operation the errors it can
answer with, documents `?format=csv|xlsx` on lists that export, and `?expand=` where a view allows
it. The extensions below describe the error map of a 400 and an expandable relation.
"""

from django import forms
from django.conf import settings
from django_filters.filters import ModelChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from api.export import CSVRenderer, XLSXRenderer

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorSerializer(serializers.Serializer):
    """Every error but a 400: what went wrong, in a sentence, and its stable code."""

    detail = serializers.CharField(help_text="A sentence for people; it may be reworded.")
    code = serializers.CharField(help_text="Stable, for scripts: e.g. `not_authenticated`, `token_expired`, `stale`.")


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: each offending field (a body field or query parameter, `non_field_errors` for the
    request as a whole) with its messages."""


ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, "Invalid parameters or body: the fields and why."),
    "401": OpenApiResponse(ErrorSerializer, "Not signed in (or a bad token), and this needs a signed-in user."),
    "403": OpenApiResponse(ErrorSerializer, "Signed in, but this user may not do this."),
    "404": OpenApiResponse(ErrorSerializer, "No such object, page or format."),
    "409": OpenApiResponse(
        ErrorSerializer, "Conflicts with the record: changed by someone else since it was read, or still referred to."
    ),
    "413": OpenApiResponse(
        ErrorSerializer, "The body is over the upload limit (DATA_UPLOAD_MAX_MEMORY_SIZE): `request_too_large`."
    ),
    "429": OpenApiResponse(ErrorSerializer, "Too many requests (or failed sign-ins): wait Retry-After seconds."),
}


class ApiSchema(AutoSchema):
    def _error_codes(self):
        codes = ["400", "401"]
        if self.view.permission_classes:
            codes.append("403")
        if self.method == "GET" or "{" in self.path:
            codes.append("404")
        if self.method in ("PATCH", "DELETE"):
            codes.append("409")
        if self.method in ("POST", "PATCH"):
            codes.append("413")
        codes.append("429")  # the API's rate limits, and the sign-in lockout of the token endpoint
        return codes

    def get_auth(self):
        auth = super().get_auth()
        if self.method in SAFE_METHODS and settings.PUBLIC_READ and {} not in auth:
            auth.append({})  # anonymous reads allowed
        return auth

    def _exports(self):
        return self.method == "GET" and getattr(self.view, "exports", lambda: False)()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._exports():
            parameters.append(
                OpenApiParameter(
                    "format",
                    str,
                    enum=["json", "csv", "xlsx"],
                    description="`csv`, `xlsx`: every matching row (no pages) as a CSV or XLSX download "
                    "(XLSX: at most 50,000 rows, else a 400).",
                )
            )
        expandable = getattr(self.view, "expandable", {})
        if self.method == "GET" and expandable:
            parameters.append(
                OpenApiParameter(
                    "expand",
                    str,
                    many=True,
                    explode=False,
                    enum=sorted(expandable),
                    description="Show these related objects in full instead of their ids (comma-separated).",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._exports():
            responses["200"]["content"][CSVRenderer.media_type] = {"schema": {"type": "string"}}
            responses["200"]["content"][XLSXRenderer.media_type] = {"schema": {"type": "string", "format": "binary"}}
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code, direction=direction)
        return responses


class ProgressSchema(ApiSchema):
    """The progress report is one object, not a list, yet it takes the assignment list's filters."""

    def get_filter_backends(self):
        return self.view.filter_backends


class FilterSetExtension(DjangoFilterExtension):
    """Types of the shared FilterSets' parameters that drf-spectacular cannot guess.

    A filter whose form field takes whole numbers (a year, an id) is an integer, within its bounds.
    A ModelChoiceFilter with its own method (actor with its sub-bodies, region) has no model path
    to follow: its values are those of the field it looks objects up by (to_field_name, else the id).
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if issubclass(filter_field.field_class, forms.IntegerField):
            bounds = {"minimum": filter_field.extra.get("min_value"), "maximum": filter_field.extra.get("max_value")}
            schema = {"type": "integer", **{name: value for name, value in bounds.items() if value is not None}}
            for parameter in parameters:
                parameter["schema"] = schema
        return parameters

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        if isinstance(filter_field, ModelChoiceFilter) and filter_field.method:
            options = filter_field.queryset.model._meta
            to_field_name = filter_field.extra.get("to_field_name")
            lookup = options.get_field(to_field_name) if to_field_name else options.pk
            return auto_schema._map_model_field(lookup, direction=None)
        return super()._get_schema_from_model_field(auto_schema, filter_field, model)


class ValidationErrorExtension(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": ValidationErrorSerializer.__doc__.replace("\n   ", ""),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"date": ["The date cannot be in the future."]},
        }


class ExpandableFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.fields.ExpandableField"

    def map_serializer_field(self, auto_schema, direction):
        plain = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        nested = auto_schema.resolve_serializer(self.target.serializer_class, direction)
        return {"oneOf": [plain, nested.ref], "description": "An id, or the object itself when expanded."}
