"""Views that belong to the project rather than to an app."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.formats import number_format
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


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (the header's button). A GET, from a typed or bookmarked address,
    gets a page with that button instead of Django's bare 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")


def bad_request(request, exception):
    """The 400 page, in the site's layout; a form body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 that says so.

    Django reads the body lazily and turns RequestDataTooBig into a 400 wherever it is read (the
    CSRF check, the view); this handler is the one place that sees it every time. The API's own
    answer (JSON 413) comes from api.exceptions, since DRF handles it before Django does.
    """
    if isinstance(exception, RequestDataTooBig):
        limit_mb = number_format(round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20, 1), 1)  # "2.5"; "2,5" in Russian
        return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
    return render(request, "400.html", status=400)
