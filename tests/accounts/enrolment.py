"""Set up a first authenticator through the e-mailed link, as the person does (for the tests)."""

import re

from django.core import mail
from django.urls import reverse

LINK = re.compile(r"https?://[^\s/]+(/accounts/tweede-stap/instellen/[^/\s]+/[^/\s]+/)")


def link_in(message) -> str:
    """The path of the enrolment link in an e-mail (its text part)."""
    return LINK.search(message.body).group(1)


def ask_for_link(client) -> str:
    """Press "Stuur mij de link" on the set-up page; the path of the link in the e-mail."""
    before = len(mail.outbox)
    response = client.post(reverse("accounts:second_factor_enrolment_request"))
    assert response.status_code == 302, response.status_code
    assert len(mail.outbox) == before + 1, "no e-mail was sent"
    return link_in(mail.outbox[-1])


def open_link(client) -> None:
    """Ask for the link and open it: this session may now set up the first authenticator."""
    response = client.get(ask_for_link(client))
    assert response.status_code == 302
    assert response.url == reverse("accounts:second_factor_setup")
