"""Query-count rows for the civic pages (see tests/test_query_counts.py): accounts, intake,
initiatives, sroi, reports, notifications, the log-in and password pages and the to-do list.

A form counts as a page (its GET); its `n` rows are what its choices or side lists show.
"""

import datetime

from django.utils import timezone

from accounts.models import Area, MemberVerification, User, VerificationCode, VerificationCodeBatch
from tests.query_counts.base import EVERYONE, STAFF, Row

SIGNED_IN = ("community_member", "civil_servant", "administrator")
RESIDENTS = ("community_member", "youth_council", "advisory_member")


def areas(n: int) -> list[Area]:
    return Area.objects.bulk_create(
        Area(name=f"Buurt {n}-{i:04}", slug=f"buurt-{n}-{i:04}") for i in range(n)
    )


def users(n: int, prefix: str = "bewoner") -> list[User]:
    return User.objects.bulk_create(User(username=f"{prefix}-{n}-{i:04}") for i in range(n))


def with_areas(url: str):
    """A form whose area choice lists every area."""

    def build(n, ctx):
        areas(n)
        return url

    return build


# ---- accounts ------------------------------------------------------------------------------


def code_batches(n: int, ctx, *, codes: int = 1) -> list[VerificationCodeBatch]:
    issuer = ctx["civil_servant"]
    batches = VerificationCodeBatch.objects.bulk_create(
        VerificationCodeBatch(issuer=issuer, area=ctx["area"], count=codes, valid_days=30)
        for _ in range(n)
    )
    return batches


def verification_codes(n: int, ctx, batch=None) -> None:
    expires = timezone.now() + datetime.timedelta(days=30)
    used_by = users(n, "gebruikt")
    VerificationCode.objects.bulk_create(
        VerificationCode(
            code_hash=f"{batch.pk if batch else 0:016}{n:016}{i:032}",
            suffix=f"{i % 10000:04}",
            area=ctx["area"],
            created_by=ctx["civil_servant"],
            batch=batch,
            expires_at=expires,
            used_by=user if i % 2 else None,
            used_at=timezone.now() if i % 2 else None,
        )
        for i, user in enumerate(used_by)
    )


def batch_list(n, ctx):
    batches = code_batches(n, ctx)
    verification_codes(n, ctx, batch=batches[0])
    return "/accounts/codes/reeksen/"


def batch_detail(n, ctx):
    (batch,) = code_batches(1, ctx, codes=n)
    verification_codes(n, ctx, batch=batch)
    return f"/accounts/codes/reeksen/{batch.pk}/"


def codes(n, ctx):
    areas(n)  # the form's area choice
    verification_codes(n, ctx)
    return "/accounts/codes/"


def verify_member(n, ctx):
    areas(n)
    return f"/accounts/leden/{ctx['community_member'].pk}/verifieren/"


def revoke(n, ctx):
    areas(n)
    verification = MemberVerification.objects.get(user=ctx["community_member"])
    return f"/accounts/verificaties/{verification.pk}/intrekken/"


def second_factor(n, ctx):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A resident with a confirmed authenticator, asked for the code after the password.
    for role in RESIDENTS:
        TOTPDevice.objects.create(user=ctx[role], name="telefoon", confirmed=True)
    return "/accounts/tweede-stap/"


def digid_area(n, ctx):
    ctx["digid_resident"] = User.objects.create(username=f"digid-{n}")
    areas(n)
    return "/accounts/digid/wijk/"


PAGES: dict[str, Row] = {
    "accounts:batches": Row(batch_list, roles=STAFF),
    "accounts:batch": Row(batch_detail, roles=STAFF),
    "accounts:codes": Row(codes, roles=STAFF),
    "accounts:verify": Row(verify_member, roles=STAFF),
    "accounts:revoke": Row(revoke, roles=STAFF),
    "accounts:profile": Row(with_areas("/accounts/profiel/"), roles=SIGNED_IN),
    "accounts:welcome": Row(with_areas("/accounts/welkom/"), roles=SIGNED_IN),
    "accounts:redeem": Row(with_areas("/accounts/verifieren/"), roles=RESIDENTS),
    "accounts:register": Row(with_areas("/accounts/registreren/"), roles=("anonymous",)),
    "accounts:password_reset": Row(with_areas("/accounts/password_reset/"), roles=EVERYONE),
    "accounts:second_factor": Row(second_factor, roles=RESIDENTS),
    "accounts:second_factor_setup": Row(
        with_areas("/accounts/tweede-stap/instellen/"), roles=SIGNED_IN
    ),
    "accounts:digid_area": Row(
        digid_area,
        roles=("digid_resident",),
        extra={
            "backend": "accounts.oidc.DigiDOIDCBackend",
            "settings": {
                "DIGID_OIDC_ISSUER": "https://broker.example/realms/digid",
                "DIGID_OIDC_CLIENT_ID": "burgerkracht",
                "DIGID_BSN_HASH_KEY": "key-for-tests",
            },
        },
    ),
}

NOT_HTML: dict[str, str] = {
    "accounts:batch_approve": "POST only",
}
