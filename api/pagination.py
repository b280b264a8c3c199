from rest_framework import pagination, serializers
from rest_framework.response import Response

from cvetracker.paging import CAP, CappedCountPaginator

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


COUNT_HELP = f"Rows on all pages; null when there are more than {CAP:,} (they are not counted)."


class PageQuerySerializer(serializers.Serializer):
    """`page` and `page_size` as every paged answer reads them: a value that is not a whole number in
    range is a 400 naming it (DRF alone ignores a bad page_size and answers 404 for page=abc).
    A page past the last one is still a 404."""

    page = serializers.IntegerField(min_value=1, required=False, help_text="A page of rows, from 1.")
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        help_text=f"Rows per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
    )


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 50 rows unless the client asks, at most 500. CSV exports are not paged."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    django_paginator_class = CappedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        PageQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    def count(self):
        """Every matching row, or None for a list longer than cvetracker.paging.CAP (not counted)."""
        paginator = self.page.paginator
        return None if paginator.capped else paginator.count

    def get_paginated_response(self, data):
        return Response(
            {"count": self.count(), "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["properties"]["count"].update(nullable=True, description=COUNT_HELP)
        return paged

    def get_schema_operation_parameters(self, view):
        bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
            parameter["description"] = str(PageQuerySerializer().fields[parameter["name"]].help_text)
        return parameters
