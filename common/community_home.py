"""The Community Home where people get help in person (settings COMMUNITY_HOME_*): its name,
address and opening hours, as the home page and the printed code slips show them."""

from django.conf import settings


def community_home() -> dict[str, str]:
    """Name, address and hours; an empty name means no Community Home is configured."""
    return {
        "name": settings.COMMUNITY_HOME_NAME,
        "address": settings.COMMUNITY_HOME_ADDRESS,
        "hours": settings.COMMUNITY_HOME_HOURS,
    }
