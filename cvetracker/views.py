"""Views that belong to the project rather than to an app."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """The process is up and serving. No database work: for load balancers, and as the bare
    baseline the benchmarks compare every page and endpoint against."""
    return HttpResponse("ok", content_type="text/plain")
