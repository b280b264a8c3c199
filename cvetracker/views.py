"""Views that belong to the project rather than to an app."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """The process is up and serving. No database work: for load balancers, and as the bare
    baseline the benchmarks compare every page and endpoint against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, the API's): the
    site's icon is static/favicon.svg, under its static address (hashed in production)."""
    return redirect(static("favicon.svg"))
