"""Template tags of the voting pages."""

from django import template

from common.addresses import public_url, typed_address

register = template.Library()


@register.simple_tag
def printed_address(path: str) -> str:
    """`path` on the site's public address, as people type it from paper (a receipt or slip
    that may be printed): `burgerkracht.amsterdam.nl/voorstellen/4/stembiljetten`."""
    return typed_address(public_url(path))
