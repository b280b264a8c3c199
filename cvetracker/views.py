"""Views that belong to the project rather than to an app."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
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


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (the header's button). A GET, from a typed or bookmarked address,
    gets a page with that button instead of Django's bare 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")
