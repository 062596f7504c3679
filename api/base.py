"""What every endpoint of the open API shares: read-only, anonymous, throttled, paged, versioned.

Follows the Dutch API Design Rules where they fit: no trailing slashes (API-48), the OpenAPI
document at `/api/v1/openapi.json` (API-51), an `API-Version` header on every response (API-57),
errors as `application/problem+json` (RFC 9457), and paging with links.
"""

from rest_framework import viewsets
from rest_framework.views import APIView, exception_handler

API_VERSION = "1.0.0"


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over public data; the queryset comes from a selector."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


class PublicAPIView(APIView):
    """A read-only view of the open API that is not over a model (the entry point)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


def problem_exception_handler(exc, context):
    """DRF's errors as problem details: type, title, status, detail."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    response.data = {
        "type": "about:blank",
        "title": response.status_text,
        "status": response.status_code,
        "detail": str(detail) if detail is not None else response.data,
    }
    response.content_type = "application/problem+json"
    response["API-Version"] = API_VERSION
    return response
