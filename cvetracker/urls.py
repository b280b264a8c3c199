from django.contrib import admin
from django.urls import include, path

from cvetracker.views import healthz

admin.site.site_header = "cvetracker administration"
admin.site.site_title = "cvetracker"
admin.site.index_title = "Events, recommendations and reporting"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("web.urls")),
]
