from rest_framework import pagination, serializers

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


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

    def paginate_queryset(self, queryset, request, view=None):
        PageQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
            parameter["description"] = str(PageQuerySerializer().fields[parameter["name"]].help_text)
        return parameters
