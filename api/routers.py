"""The API's router: its root lists every endpoint, not only the registered resources."""

from rest_framework import routers

# Endpoints outside the router, by URL name in the "api" namespace.
OTHER_ENDPOINTS = {"progress": "progress", "auth/token": "token", "schema": "schema", "docs": "docs", "redoc": "redoc"}


class ApiRootView(routers.APIRootView):
    """The cvetracker API: events, their recommendations, who is responsible for each (assignments),
    the status updates reported on them and the progress figures.

    Lists take the same filters as the web pages and answer `?format=csv` and `?format=xlsx` too; writes need a user,
    and `auth/token/` exchanges a username and password for a token. `schema/` is the OpenAPI
    schema, to browse at `docs/` or `redoc/`; the guide is docs/api.md in the repository.
    """

    name = "cvetracker API"


class ApiRouter(routers.DefaultRouter):
    APIRootView = ApiRootView

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        resources = {prefix: list_name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**resources, **OTHER_ENDPOINTS})
