"""The Community Home where people get help in person (settings COMMUNITY_HOME_*): its name,
address and opening hours, as the home page, the printed code slips and the letters show them."""

from django.conf import settings
from django.utils.translation import get_language


class OpeningHours:
    """The opening hours in the language of the text they are printed in: on an English page
    (or in an English letter) COMMUNITY_HOME_HOURS_EN when it is set, else COMMUNITY_HOME_HOURS.
    Worked out when printed, so a batch of letters in several languages gets each its own."""

    def __str__(self) -> str:
        english = settings.COMMUNITY_HOME_HOURS_EN
        if english and (get_language() or "").split("-")[0] == "en":
            return english
        return settings.COMMUNITY_HOME_HOURS

    def __bool__(self) -> bool:
        return bool(str(self))


def community_home() -> dict:
    """Name, address and hours; an empty name means no Community Home is configured."""
    return {
        "name": settings.COMMUNITY_HOME_NAME,
        "address": settings.COMMUNITY_HOME_ADDRESS,
        "hours": OpeningHours(),
    }
