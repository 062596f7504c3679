"""Claims of the test provider: e-mail and name from the user, `groups` and `bsn` from the config."""

import json
import os

from oidc_provider.lib.claims import ScopeClaims


def _person(username: str) -> dict:
    config = json.loads(os.environ.get("OIDC_TEST_CONFIG", "{}"))
    for person in config.get("people", []):
        if person["username"] == username:
            return person
    return {}


def userinfo(claims: dict, user) -> dict:
    claims["preferred_username"] = user.username
    claims["name"] = f"{user.first_name} {user.last_name}".strip()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims


class ExtraClaims(ScopeClaims):
    info_groups = ("Groups", "The groups you are in.")
    info_bsn = ("BSN", "Your citizen service number.")

    def scope_groups(self) -> dict:
        return {"groups": _person(self.user.username).get("groups", [])}

    def scope_bsn(self) -> dict:
        return {"bsn": _person(self.user.username).get("bsn", "")}
