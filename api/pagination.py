from rest_framework import pagination

from recommendations.cache import CountCachedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 50 rows unless the client asks, at most 500. CSV exports are not paged."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CountCachedPaginator  # `count` covers every matching row: cached while unchanged
