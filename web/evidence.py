"""Downloads of evidence files (recommendations/evidence.py): only through this view, which asks
recommendations.permissions whether the reader may see the file's status update."""

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from recommendations import permissions
from recommendations.evidence import evidence_storage
from recommendations.models import EvidenceFile

logger = logging.getLogger(__name__)

# A file is never shown inside the tracker's pages: a download (attachment), of the content type its
# content was found to be, never sniffed into another, and sandboxed should a browser render it anyway.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, max-age=0",  # whether a reader may see it can change (validation)
}


@require_safe
def download(request, pk):
    if not permissions.can_read(request.user):
        return redirect_to_login(request.get_full_path())  # as the pages do, whether the file exists or not
    evidence = get_object_or_404(EvidenceFile.objects.select_related("update__assignment"), pk=pk)
    if not permissions.can_see_update(request.user, evidence.update):
        raise Http404  # as for a file that does not exist: nothing says it does
    try:
        content = evidence_storage.open(evidence.file.name, "rb")
    except OSError:
        logger.error("Evidence file %s (%s) is missing from the storage.", evidence.pk, evidence.file.name)
        raise Http404 from None
    response = FileResponse(content, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    for header, value in SAFE_HEADERS.items():
        response[header] = value
    return response
