"""Every API error is JSON: 400 is a map of field → messages, the others are {"detail": message,
"code": name}, where the code is stable and the message may be reworded (scripts match on codes).

The workflow and the models raise Django's ValidationError and PermissionDenied; here they
become the 400 and 403 a client expects, in the same shape as DRF's own errors, so a rule
raised once reads the same in the admin, the pages and the API.
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS as DJANGO_NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from api.export import EXPORTS

logger = logging.getLogger(__name__)

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
ANSWERS_ONLY = (*EXPORTS, OpenApiYamlRenderer, OpenApiJsonRenderer)  # formats errors are never given in


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the record.")
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        # A bug, not the client's fault: log it with its traceback, still answer in JSON.
        logger.error("Unhandled API error", exc_info=exc)
        response = Response(
            {"detail": gettext("Internal server error."), "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    elif response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = _field_map(response.data)
    elif isinstance(exc, exceptions.APIException) and isinstance(exc.detail, exceptions.ErrorDetail):
        response.data = {"detail": exc.detail, "code": exc.detail.code}
    request = context["request"]
    if isinstance(getattr(request, "accepted_renderer", None), ANSWERS_ONLY):
        # An error asked for as an export (?format=csv|xlsx) or as the schema is still answered in JSON.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    return response


def _as_api_exception(exc):
    # What DRF would convert itself, converted here so that every answer gets its code.
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "stale":  # workflow.change_assignment's lost-update guard
            return Conflict(exc.messages[0], code="stale")
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        blocking = {str(obj._meta.verbose_name_plural) for obj in exc.args[1]}
        return Conflict(
            gettext("It cannot be deleted while other records refer to it (%(records)s).")
            % {"records": ", ".join(sorted(blocking))},
            code="protected",
        )
    if isinstance(exc, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        return RequestTooLarge(
            gettext("The request body is too large: the API accepts at most %(megabytes)s MB.")
            % {"megabytes": number_format(round(megabytes, 1), 1)}
        )
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return RequestTooLarge(
            gettext("The request has too many fields: the API accepts at most %(limit)d.") % {"limit": limit}
        )
    if isinstance(exc, IntegrityError):
        # Validation ran first, so this is a concurrent write that got there before this one.
        return Conflict(
            gettext("Another change to the same record was saved at the same time. Reload and try again."),
            code="concurrent_write",
        )
    return exc


def _field_map(data):
    """Every 400 body as {field: [messages]}: a bare message, a parse error's detail and Django's
    "__all__" go under non_field_errors."""
    if not isinstance(data, dict):
        data = {NON_FIELD_ERRORS: data}
    if set(data) == {"detail"}:  # e.g. a body that is not valid JSON
        data = {NON_FIELD_ERRORS: data["detail"]}
    fields = {}
    for field, errors in data.items():
        name = NON_FIELD_ERRORS if field == DJANGO_NON_FIELD_ERRORS else field
        fields[name] = errors if isinstance(errors, list) else [errors]
    return fields
