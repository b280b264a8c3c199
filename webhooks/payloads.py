"""What a delivery tells: the changed object exactly as the public API shows it to an anonymous
reader, from the API's own serializers. A receiver is outside the tracker, so the read rules of
recommendations.permissions give it what they give the public: no internal note, no author's name.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from api.serializers import AssignmentSerializer, StatusUpdateSerializer


class _Outsider:
    """The request the serializers read: an anonymous reader, with links on SITE_URL."""

    user = AnonymousUser()

    def build_absolute_uri(self, location):
        return urljoin(settings.SITE_URL + "/", location)


def _shown(serializer_class, obj):
    # In the site's default language, whoever made the change: the translated titles and names.
    with translation.override(settings.LANGUAGE_CODE):
        return serializer_class(obj, context={"request": _Outsider(), "expand": frozenset()}).data


def status_update(update):
    """An update as GET /api/status-updates/<id>/ shows it; the related rows come loaded."""
    if not hasattr(update, "corrected_by"):
        update.corrected_by = None  # the list's annotation: nothing corrects an update just recorded
    return _shown(StatusUpdateSerializer, update)


def assignment(assignment):
    """An assignment as GET /api/assignments/<id>/ shows it."""
    return _shown(AssignmentSerializer, assignment)
