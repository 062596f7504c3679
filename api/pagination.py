"""Paging of the open API: `page` and `pageSize` (at most 200), with links to the next and previous page."""

from rest_framework import pagination
from rest_framework.response import Response


class Paging(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "pageSize"
    max_page_size = 200
    # The OpenAPI document's words for the two parameters (it is made in Dutch).
    page_query_description = "Nummer van de pagina: 1, 2, 3 …"
    page_size_query_description = "Aantal resultaten per pagina: standaard 50, hoogstens 200."

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
