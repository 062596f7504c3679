import structlog


class DutchFirstMiddleware:
    """Serve Dutch unless the visitor chose English with the language switch.

    The product is Dutch first: a browser's Accept-Language header (often English on work
    laptops) must not switch the interface. The switch sets the language cookie, which
    LocaleMiddleware, placed after this one, still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestIdHeaderMiddleware:
    """Send the request id that django-structlog bound for this request back as X-Request-ID.

    A resident who reports a problem, or the proxy's access log, can then be matched with the
    application's log lines of that request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response["X-Request-ID"] = request_id
        return response
