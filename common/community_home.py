"""The Community Home where people get help in person (settings COMMUNITY_HOME_*): its name,
address, opening hours and phone number, as the home page, the printed code slips and the letters
show them; and the municipality's general phone number (MUNICIPALITY_PHONE) for whoever prefers
to call, or when no Community Home is configured."""

import re

from django.conf import settings
from django.utils.translation import get_language

# The demo's Community Home: the place of its story (the poll with paper votes, the officers'
# shifts, the budget round's paper ballots; governance/officing/demo.py makes it a location) and
# the embedded mode's default for the COMMUNITY_HOME_* settings, so the home page's help block
# names the same place. No phone number: a made-up one could be someone's.
DEMO_COMMUNITY_HOME = {
    "name": "Community Home Bijlmer",
    "address": "Bijlmerplein 400, 1102 DB Amsterdam",
    "hours": "maandag tot en met vrijdag 9:00–21:00, zaterdag 10:00–17:00",
    "hours_en": "Monday to Friday 9:00–21:00, Saturday 10:00–17:00",
}


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


def phone(number: str) -> dict | None:
    """A phone number as people read it and as a `tel:` link dials it; None when not set."""
    number = number.strip()
    if not number:
        return None
    return {"text": number, "href": "tel:" + re.sub(r"[^\d+]", "", number)}


def community_home() -> dict:
    """Name, address, hours and phone; an empty name means no Community Home is configured.
    `municipality_phone` is the municipality's general number (None when not set)."""
    return {
        "name": settings.COMMUNITY_HOME_NAME,
        "address": settings.COMMUNITY_HOME_ADDRESS,
        "hours": OpeningHours(),
        "phone": phone(settings.COMMUNITY_HOME_PHONE),
        "municipality_phone": phone(settings.MUNICIPALITY_PHONE),
    }
