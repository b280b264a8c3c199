"""The OpenAPI schema: generated without warnings, every error response described, docs served offline."""

import re

import pytest
import yaml
from django.core.management import call_command

from api.export import XLSXRenderer

XLSX = XLSXRenderer.media_type


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        from drf_spectacular.generators import SchemaGenerator

        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_validates_without_a_single_warning(tmp_path, db):
    # --fail-on-warn turns any warning (an undocumented field, a guessed type) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert "/api/assignments/{id}/" in yaml.safe_load((tmp_path / "schema.yaml").read_text())["paths"]


def test_the_schema_is_served(api, db):
    response = api().get("/api/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "cvetracker API"


def test_every_resource_and_method_is_described(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}

    for resource in ["events", "actors", "recommendations", "assignments"]:
        assert {(f"/api/{resource}/", "get"), (f"/api/{resource}/", "post")} <= operations
        assert {(f"/api/{resource}/{{id}}/", method) for method in ["get", "patch", "delete"]} <= operations
        assert (f"/api/{resource}/{{id}}/", "put") not in operations
    assert {(path, method) for path, method in operations if path.startswith("/api/status-updates/")} == {
        ("/api/status-updates/", "get"),
        ("/api/status-updates/", "post"),
        ("/api/status-updates/{id}/", "get"),
    }
    assert {("/api/assignments/assign-region/", "post"), ("/api/progress/", "get"), ("/api/auth/token/", "post")} <= (
        operations
    )


def test_every_operation_describes_its_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "429"} <= codes, (path, method)
            if path != "/api/auth/token/":
                assert "403" in codes, (path, method)
            if method == "get" or "{id}" in path:
                assert "404" in codes, (path, method)
            if method in ("patch", "delete"):
                assert "409" in codes, (path, method)
            if method in ("post", "patch"):
                assert "413" in codes, (path, method)
            for code in codes - {"200", "201", "204"}:
                (body,) = operation["responses"][code]["content"].values()
                assert body["schema"]["$ref"] in (
                    "#/components/schemas/Error",
                    "#/components/schemas/ValidationError",
                    # an import's 422: an Error with its refused rows
                    "#/components/schemas/RowsRefused",
                    "#/components/schemas/RecommendationsRefused",
                )


def test_lists_document_their_csv_and_xlsx_exports_and_expansions(schema):
    assignments = schema["paths"]["/api/assignments/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in assignments["parameters"]}

    assert set(assignments["responses"]["200"]["content"]) == {"application/json", "text/csv", XLSX}
    assert parameters["format"]["schema"]["enum"] == ["csv", "json", "xlsx"]
    assert parameters["expand"]["schema"]["items"]["enum"] == ["actor", "recommendation"]
    assert {"actor", "country", "region", "status", "overdue", "ordering", "page", "page_size"} <= set(parameters)
    assert {"text/csv", XLSX} <= set(schema["paths"]["/api/progress/"]["get"]["responses"]["200"]["content"])


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_interactive_docs_load_everything_from_the_app(api, db, url):
    response = api().get(url)
    html = response.content.decode()

    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert "<style" not in html and not re.search(r"<script>\s*\S", html)  # nothing inline for the CSP to refuse


def test_the_swagger_ui_script_is_served_by_the_app(api, db):
    response = api().get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_interactive_docs_ask_anonymous_visitors_to_sign_in_while_public_read_is_off(client, db, settings, url):
    settings.PUBLIC_READ = False

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_schema_needs_a_user_while_public_read_is_off(api, viewer, settings):
    settings.PUBLIC_READ = False

    anonymous = api().get("/api/schema/")
    signed_in = api(viewer).get("/api/schema/")

    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
    assert yaml.safe_load(signed_in.content)["info"]["title"] == "cvetracker API"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_signed_in_users_read_the_interactive_docs_while_public_read_is_off(client, viewer, settings, url):
    settings.PUBLIC_READ = False
    client.force_login(viewer)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("component", ["RowsRefused", "RecommendationsRefused"])
def test_an_imports_422_requires_only_detail_and_code(schema, component):
    # A file that cannot be read answers {"detail", "code"} alone; refused rows add the rest.
    refused = schema["components"]["schemas"][component]
    assert set(refused["required"]) == {"detail", "code"}
    assert {"dry_run", "created", "left", "refused"} <= set(refused["properties"])
