"""Start the test provider: migrate a fresh database, create clients and people, serve.

Usage: OIDC_TEST_CONFIG='{"clients": [...], "people": [...]}' OIDC_TEST_DB=/tmp/x.sqlite3 \
    OIDC_TEST_SITE_URL=http://127.0.0.1:PORT python -m tests.oidc_provider.serve PORT
A client is {"client_id", "client_secret", "redirect_uris": [...]}; a person is
{"username", "password", "email", "first_name", "groups": [...], "bsn": "..."}.
"""

import json
import os
import sys


def main() -> None:
    port = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType, RSAKey

    config = json.loads(os.environ["OIDC_TEST_CONFIG"])
    if not RSAKey.objects.exists():
        call_command("creatersakey", verbosity=0)
    code = ResponseType.objects.get(value="code")
    for spec in config.get("clients", []):
        client, _created = Client.objects.update_or_create(
            client_id=spec["client_id"],
            defaults={
                "name": spec["client_id"],
                "client_type": "confidential",
                "client_secret": spec["client_secret"],
                "jwt_alg": "RS256",
                "require_consent": False,
                "reuse_consent": True,
                "_redirect_uris": "\n".join(spec["redirect_uris"]),
            },
        )
        client.response_types.set([code])
    for person in config.get("people", []):
        user, _created = User.objects.get_or_create(username=person["username"])
        user.email = person.get("email", "")
        user.first_name = person.get("first_name", "")
        user.set_password(person["password"])
        user.save()
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
