"""The site's addresses as printed on paper: on the public address (SITE_URL, the one people
type; not the address a civil servant works on), and written as people type them."""

from django.conf import settings


def public_url(path: str) -> str:
    """`path` (e.g. from `reverse`) on the site's public address."""
    return settings.SITE_URL.rstrip("/") + path


def typed_address(url: str) -> str:
    """`url` as people type it from paper: without "https://" (browsers add it) and without the
    closing slash; an address on plain http keeps its "http://"."""
    return url.removeprefix("https://").rstrip("/")
