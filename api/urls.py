from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api import redoc, views
from api.routers import ApiRouter
from imports import api as imports_api
from web.access import ReadAccessMixin
from webhooks import api as webhooks_api

app_name = "api"

# The one stylesheet Redoc's bundle injects without the nonce (its scrollbar styles, empty at first):
# allowed by hash, exactly as drf-spectacular-sidecar (pinned in requirements.txt) ships it.
REDOC_BUNDLED_STYLE = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]


# The schema is read as the rest of the API (SPECTACULAR_SETTINGS SERVE_PERMISSIONS); its two pages
# as the site's pages are, so that a visitor who may not read them is sent to sign in.
class SwaggerView(ReadAccessMixin, SpectacularSwaggerSplitView):
    pass


class RedocView(ReadAccessMixin, SpectacularRedocView):
    pass


# Basenames are the URL prefixes: names like "api:events-list", export files like events.csv and events.xlsx.
router = ApiRouter()
router.include_format_suffixes = False  # formats are chosen with ?format=json|csv|xlsx
router.register("events", views.EventViewSet, basename="events")
router.register("actors", views.ActorViewSet, basename="actors")
router.register("recommendations", views.RecommendationViewSet, basename="recommendations")
router.register("assignments", views.AssignmentViewSet, basename="assignments")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-updates")
router.register("regions", views.RegionViewSet, basename="regions")
router.register("themes", views.ThemeViewSet, basename="themes")
router.register("webhooks", webhooks_api.EndpointViewSet, basename="webhooks")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("imports/updates/", imports_api.UpdatesImportView.as_view(), name="import-updates"),
    path("imports/updates/template/", imports_api.UpdatesTemplateView.as_view(), name="import-updates-template"),
    path("imports/recommendations/", imports_api.RecommendationsImportView.as_view(), name="import-recommendations"),
    path(
        "imports/recommendations/template/",
        imports_api.RecommendationsTemplateView.as_view(),
        name="import-recommendations-template",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Both pages load every script and style from the app (drf-spectacular-sidecar), none inline;
    # the styles Redoc injects carry the request's CSP nonce.
    path(
        "docs/",
        SwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"style-src": [NONCE, *REDOC_BUNDLED_STYLE]})(
            RedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    path("redoc/redoc.standalone.js", redoc.bundle, name="redoc-bundle"),
    *router.urls,
    re_path(r"^[\s\S]*/$", views.not_found),  # any character, an encoded newline too
]
