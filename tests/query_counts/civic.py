"""Query-count rows for the civic pages (see tests/test_query_counts.py): accounts, intake,
initiatives, sroi, reports, notifications, the log-in and password pages and the to-do list.

A form counts as a page (its GET); its `n` rows are what its choices or side lists show.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Area, MemberVerification, User, VerificationCode, VerificationCodeBatch
from tests.query_counts.base import EVERYONE, STAFF, Row, static

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


# ---- log-in and password pages (django.contrib.auth) --------------------------------------


def password_reset_confirm(n, ctx):
    # An unknown link: the page says so and offers a new one (a good link redirects once to
    # the form, with the token moved into the session).
    users(n)
    return "/accounts/nieuw-wachtwoord/MQ/bad-token/"


# ---- notifications -------------------------------------------------------------------------


def notices(n, ctx):
    from notifications.models import Channel, Event, Kind, Notification

    events = Event.objects.bulk_create(
        Event(kind=Kind.DECISION_TAKEN, subject=f"governance.proposal:{i}", url="/voorstellen/")
        for i in range(n)
    )
    Notification.objects.bulk_create(
        Notification(event=event, user=ctx[role], channel=Channel.SITE)
        for event in events
        for role in ("community_member", "civil_servant", "administrator")
    )
    return "/meldingen/"


def unsubscribe(n, ctx):
    from notifications.models import Preference

    Preference.objects.bulk_create(
        Preference(user=user, unsubscribe_token=f"afmelden-{n}-{i:04}")
        for i, user in enumerate(users(n))
    )
    return f"/meldingen/afmelden/afmelden-{n}-0000/"


def letters(n, ctx):
    from notifications.models import LetterBatch

    monday = datetime.date(2020, 1, 6)
    LetterBatch.objects.bulk_create(
        LetterBatch(week=monday + datetime.timedelta(weeks=i), count=i) for i in range(n)
    )
    return "/meldingen/brieven/"


# ---- reports -------------------------------------------------------------------------------


def outcomes(n, ctx):
    from reports.models import Outcome
    from tests.query_counts.base import initiatives

    made = initiatives(n, ctx["area"])
    Outcome.objects.bulk_create(
        Outcome(
            initiative=initiative,
            year=2025,
            indicator=Outcome.Indicator.SCHOOL,
            value=i,
            source="Jaarverslag",
            recorded_by=ctx["civil_servant"],
        )
        for i, initiative in enumerate(made)
    )
    return "/rapporten/resultaten/"


def published_year(n, ctx):
    """A finished report of 2025 over `n` initiatives, frozen as the service freezes it (the
    PDF left out: the page is rendered from the snapshot)."""
    from reports import snapshot
    from reports.content import annual_report_content
    from reports.models import AnnualReport
    from tests.query_counts.base import initiatives

    initiatives(n, ctx["area"])
    content = annual_report_content(year=2025)
    AnnualReport.objects.create(
        year=2025,
        version=1,
        status=AnnualReport.Status.DONE,
        is_current=True,
        snapshot=snapshot.dump(content),
        sha256="0" * 64,
        as_of=content.as_of,
    )
    return "/rapporten/2025/"


def report_status(n, ctx):
    from reports.models import AnnualReport

    reports = AnnualReport.objects.bulk_create(
        AnnualReport(year=2000 + i % 50, version=1 + i // 50, requested_by=ctx["civil_servant"])
        for i in range(n)
    )
    return f"/rapporten/status/{reports[0].pk}/"


# ---- the to-do page ------------------------------------------------------------------------


def todo(n, ctx):
    """`n` of each thing waiting for a civil servant: submitted intakes, claimed realisations,
    batches of codes to approve (by someone else)."""
    from intake.models import Intake
    from sroi.models import Realisation
    from tests.intake.factories import version_1
    from tests.query_counts.base import initiatives
    from tests.sroi.test_queries import make_contracts

    questionnaire = version_1()
    Intake.objects.bulk_create(
        Intake(
            initiative=initiative,
            questionnaire=questionnaire,
            status=Intake.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for initiative in initiatives(n, ctx["area"])
    )
    make_contracts(n)
    Realisation.objects.filter(
        pk__in=list(Realisation.objects.values_list("pk", flat=True)[:n])
    ).update(status=Realisation.Status.CLAIMED)
    VerificationCodeBatch.objects.bulk_create(
        VerificationCodeBatch(
            issuer=ctx["administrator"],
            area=ctx["area"],
            count=500,
            valid_days=30,
            needs_approval=True,
        )
        for _ in range(n)
    )
    return "/taken/"


# ---- initiatives ---------------------------------------------------------------------------


def one_initiative(ctx):
    from tests.query_counts.base import initiatives

    return initiatives(1, ctx["area"])[0]


def initiative_form(n, ctx):
    areas(n)  # the form's area choice
    return f"/initiatieven/{one_initiative(ctx).slug}/bewerken/"


def initiative_staff(n, ctx):
    """An initiative with `n` changes in its audit trail (the page shows the newest 50)."""
    from initiatives.models import Initiative

    initiative = one_initiative(ctx)
    record = Initiative.history.model
    kept = {f.attname for f in record._meta.concrete_fields}
    fields = {
        f.attname: getattr(initiative, f.attname)
        for f in Initiative._meta.concrete_fields
        if f.attname in kept and f.attname != "id"
    }
    fields["id"] = initiative.pk
    start = timezone.now() - datetime.timedelta(days=n)
    record.objects.bulk_create(
        record(
            **{**fields, "summary": f"Versie {i}"},
            history_date=start + datetime.timedelta(days=i),
            history_type="~",
            history_user=ctx["civil_servant"],
        )
        for i in range(n)
    )
    return f"/initiatieven/{initiative.slug}/beheer/"


def imports(n, ctx):
    from initiatives.models import InitiativeImport

    InitiativeImport.objects.bulk_create(
        InitiativeImport(
            file=f"imports/register-{i}.csv",
            original_name=f"register-{i}.csv",
            uploaded_by=ctx["civil_servant"],
            row_count=i,
        )
        for i in range(n)
    )
    return "/initiatieven/importeren/"


IMPORT_HEADER = (
    "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase;leefgebieden;startdatum\n"
)


def import_preview(n, ctx):
    """An uploaded file of `n` rows, every fifth with an unknown area (shown as an error)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from initiatives import services

    area = ctx["area"].name
    lines = [
        f"Buurtkeuken {i};Samen eten;{'Atlantis' if i % 5 == 0 else area};Bewoner(s);"
        f'Vereniging;Ideevorming;"Werk; Zorg";2024-05-01\n'
        for i in range(n)
    ]
    content = (IMPORT_HEADER + "".join(lines)).encode("utf-8")
    upload, _rows = services.upload_import(
        actor=ctx["civil_servant"],
        uploaded_file=SimpleUploadedFile("register.csv", content, content_type="text/csv"),
    )
    return f"/initiatieven/importeren/{upload.pk}/"


def area_edit(n, ctx):
    areas(n)
    return f"/initiatieven/gebieden/{ctx['area'].pk}/"


# ---- intake --------------------------------------------------------------------------------


def intakes_of_one(n, ctx, *, status=None, published=False):
    """One initiative with `n` intakes (the first the one returned)."""
    from intake.models import Intake
    from tests.intake.factories import version_1

    initiative = one_initiative(ctx)
    status = status or Intake.Status.CONFIRMED
    return Intake.objects.bulk_create(
        Intake(
            initiative=initiative,
            questionnaire=version_1(),
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
            status=status if i == 0 else Intake.Status.CONFIRMED,
            confirmed_at=None if i == 0 and status != Intake.Status.CONFIRMED else timezone.now(),
            composite=Decimal("6.5"),
            is_published=published and i == 0,
        )
        for i in range(n)
    )


def links(n, ctx, intake) -> None:
    from intake.models import IntakeLink, hash_token

    expires = timezone.now() + datetime.timedelta(days=14)
    IntakeLink.objects.bulk_create(
        IntakeLink(
            intake=intake,
            token_hash=hash_token(f"link-{intake.pk}-{i}"),
            created_by=ctx["civil_servant"],
            expires_at=expires,
            revoked_at=timezone.now() if i else None,
        )
        for i in range(n)
    )


def intake_overview(n, ctx):
    from intake.models import Intake
    from tests.intake.factories import version_1
    from tests.query_counts.base import initiatives

    Intake.objects.bulk_create(
        Intake(
            initiative=initiative,
            questionnaire=version_1(),
            status=Intake.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            composite=Decimal("7.0"),
        )
        for initiative in initiatives(n, ctx["area"])
    )
    return "/intake/"


def intake_start(n, ctx):
    intake = intakes_of_one(n, ctx)[0]
    return f"/intake/initiatief/{intake.initiative.slug}/nieuw/"


def intake_detail(n, ctx):
    from intake import services
    from intake.models import Intake
    from tests.intake.factories import option_ids, scale_answers

    intake = intakes_of_one(n, ctx, status=Intake.Status.DRAFT)[0]
    answers = scale_answers({7: 8, 9: 6, 10: 4})
    answers[16] = services.AnswerInput(
        option_ids=option_ids(intake.questionnaire, 16, "startsubsidie", "scholing")
    )
    services.save_answers(intake=intake, answers=answers, actor=ctx["civil_servant"])
    links(n, ctx, intake)
    return f"/intake/{intake.pk}/"


def intake_fill(n, ctx):
    from intake.models import Intake

    intake = intakes_of_one(n, ctx, status=Intake.Status.DRAFT)[0]
    return f"/intake/{intake.pk}/invullen/"


def intake_profile(n, ctx):
    from tests.intake.factories import confirmed_intake

    earlier = intakes_of_one(n, ctx)[0]
    intake = confirmed_intake(
        initiative=earlier.initiative, needs=("startsubsidie", "scholing"), published=True
    )
    return f"/intake/profiel/{intake.pk}/"


def intake_link(n, ctx):
    from intake import services
    from intake.models import Intake

    intake = intakes_of_one(n, ctx, status=Intake.Status.DRAFT)[0]
    _link, token = services.create_initiator_link(intake=intake, actor=ctx["civil_servant"])
    return f"/intake/link/{token}/"


# ---- sroi ----------------------------------------------------------------------------------


def contracts(n, ctx):
    """`n` contracts of one contractor, each with a verified realisation and a contribution to
    one fund (tests/sroi/test_queries.py); returns the first contract."""
    from sroi.models import Contract
    from tests.sroi.test_queries import make_contracts

    make_contracts(n)
    return Contract.objects.order_by("pk").first()


def contract_with_realisations(n, ctx):
    """One contract with `n` realisations, every other one claimed and waiting."""
    from sroi.models import Realisation
    from tests.sroi.factories import ContractFactory, block

    contract = ContractFactory()
    ww = block("ww")
    Realisation.objects.bulk_create(
        Realisation(
            contract=contract,
            block=ww,
            target_group="ww",
            person_reference=f"P-{i:05}",
            start_date=datetime.date(2025, 2, 1),
            months=Decimal("6"),
            hours_per_week=Decimal("36"),
            value=Decimal("10000.00"),
            status=Realisation.Status.CLAIMED if i % 2 else Realisation.Status.VERIFIED,
            claimed_by=ctx["civil_servant"],
        )
        for i in range(n)
    )
    return contract, Realisation.objects.filter(contract=contract).order_by("pk").first()


def contract_page(path: str):
    def build(n, ctx):
        contract, _realisation = contract_with_realisations(n, ctx)
        return f"/sroi/contracten/{contract.pk}/{path}"

    return build


def realisation_page(path: str):
    def build(n, ctx):
        _contract, realisation = contract_with_realisations(n, ctx)
        return f"/sroi/realisaties/{realisation.pk}/{path}"

    return build


def contract_create(n, ctx):
    from sroi.models import Contractor

    Contractor.objects.bulk_create(
        Contractor(name=f"Aannemer {n}-{i:04}", kvk_number=f"{n:04}{i:04}") for i in range(n)
    )
    return "/sroi/contracten/nieuw/"


def contractor_edit(n, ctx):
    contract = contracts(n, ctx)
    return f"/sroi/opdrachtnemers/{contract.contractor_id}/bewerken/"


def fund_form(path: str):
    def build(n, ctx):
        contract = contracts(n, ctx)  # the contribution form lists the contracts
        fund = contract.transactions.first().fund
        return f"/sroi/fondsen/{fund.slug}/{path}"

    return build


def allocation_with_tranches(n, ctx):
    """An allocation of a funded fund, paid out in `n` tranches."""
    from sroi.models import Account, Entry, Transaction
    from sroi.services.bookkeeping import fund_account, initiative_account
    from tests.sroi.factories import allocate, funded

    fund = funded("100000.00")
    initiative = one_initiative(ctx)
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("50000.00"),
        purpose="Inrichting",
        date=datetime.date(2025, 2, 1),
    )
    allocated = fund_account(fund, Account.Kind.ALLOCATED)
    paid = initiative_account(initiative)
    tranches = Transaction.objects.bulk_create(
        Transaction(
            fund=fund,
            kind=Transaction.Kind.DISBURSEMENT,
            date=datetime.date(2025, 3, 1),
            initiative=initiative,
            allocation=allocation,
            actor=ctx["civil_servant"],
        )
        for _ in range(n)
    )
    Entry.objects.bulk_create(
        entry
        for tranche in tranches
        for entry in (
            Entry(transaction=tranche, account=allocated, amount=Decimal("-10.00")),
            Entry(transaction=tranche, account=paid, amount=Decimal("10.00")),
        )
    )
    return allocation, tranches[0]


def allocation_page(path: str):
    def build(n, ctx):
        allocation, _tranche = allocation_with_tranches(n, ctx)
        return f"/sroi/toekenningen/{allocation.pk}/{path}"

    return build


def reverse(n, ctx):
    _allocation, tranche = allocation_with_tranches(n, ctx)
    return f"/sroi/transacties/{tranche.pk}/terugdraaien/"


def closed_years(n, ctx):
    from sroi.models import ClosedYear

    ClosedYear.objects.bulk_create(
        ClosedYear(year=1000 + i, closed_by=ctx["civil_servant"], reason="Jaarverslag")
        for i in range(n)
    )
    return "/sroi/jaren-afgesloten/"


PAGES: dict[str, Row] = {
    "accounts:batches": Row(batch_list, roles=STAFF),
    "accounts:batch": Row(batch_detail, roles=STAFF),
    "accounts:codes": Row(codes, roles=("civil_servant",)),  # makes voters: never an administrator
    "accounts:verify": Row(verify_member, roles=("civil_servant",)),
    "accounts:revoke": Row(revoke, roles=("civil_servant",)),
    "accounts:profile": Row(with_areas("/accounts/profiel/"), roles=SIGNED_IN),
    "accounts:welcome": Row(with_areas("/accounts/welkom/"), roles=SIGNED_IN),
    "accounts:redeem": Row(with_areas("/accounts/verifieren/"), roles=RESIDENTS),
    "accounts:register": Row(with_areas("/accounts/registreren/"), roles=("anonymous",)),
    "accounts:second_factor": Row(second_factor, roles=RESIDENTS),
    "accounts:second_factor_setup": Row(
        with_areas("/accounts/tweede-stap/instellen/"), roles=SIGNED_IN
    ),
    # A link that no longer works: the page says so and offers a new one (a good link
    # redirects once to the set-up).
    "accounts:second_factor_enrolment": Row(
        with_areas("/accounts/tweede-stap/instellen/x/bad-token/"), roles=EVERYONE
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
    "login": Row(with_areas("/accounts/inloggen/"), roles=EVERYONE),
    "password_change": Row(with_areas("/accounts/wachtwoord-wijzigen/"), roles=SIGNED_IN),
    "password_change_done": Row(
        with_areas("/accounts/wachtwoord-wijzigen/klaar/"), roles=SIGNED_IN
    ),
    "password_reset": Row(with_areas("/accounts/wachtwoord-vergeten/"), roles=EVERYONE),
    "password_reset_done": Row(
        with_areas("/accounts/wachtwoord-vergeten/verstuurd/"), roles=EVERYONE
    ),
    "password_reset_confirm": Row(password_reset_confirm, roles=EVERYONE),
    "password_reset_complete": Row(with_areas("/accounts/nieuw-wachtwoord/klaar/"), roles=EVERYONE),
    "notifications:list": Row(notices, roles=SIGNED_IN),
    "notifications:preferences": Row(with_areas("/meldingen/instellingen/"), roles=SIGNED_IN),
    "notifications:unsubscribe": Row(unsubscribe, roles=EVERYONE),
    "notifications:letters": Row(letters, roles=("civil_servant",)),
    "reports:outcomes": Row(outcomes, roles=STAFF),
    "reports:year": Row(published_year, roles=EVERYONE),
    "reports:status": Row(report_status, roles=STAFF),
    "todo": Row(todo, roles=("civil_servant",)),
    "initiatives:create": Row(with_areas("/initiatieven/nieuw/"), roles=STAFF),
    "initiatives:edit": Row(initiative_form, roles=STAFF),
    "initiatives:staff": Row(initiative_staff, roles=STAFF),
    "initiatives:import": Row(imports, roles=STAFF),
    "initiatives:import_preview": Row(import_preview, roles=STAFF),
    "initiatives:areas": Row(with_areas("/initiatieven/gebieden/"), roles=STAFF),
    "initiatives:area_edit": Row(area_edit, roles=STAFF),
    "intake:overview": Row(intake_overview, roles=STAFF),
    "intake:start": Row(intake_start, roles=STAFF),
    "intake:detail": Row(intake_detail, roles=STAFF),
    "intake:fill": Row(intake_fill, roles=STAFF),
    "intake:profile": Row(intake_profile, roles=EVERYONE),
    "intake:link": Row(intake_link, roles=EVERYONE),
    "sroi:contract_create": Row(contract_create, roles=STAFF),
    "sroi:contract_edit": Row(contract_page("bewerken/"), roles=STAFF),
    "sroi:contract_staff": Row(contract_page("beheer/"), roles=STAFF),
    "sroi:claim": Row(contract_page("realisaties/nieuw/"), roles=STAFF),
    "sroi:realisation": Row(realisation_page(""), roles=STAFF),
    "sroi:reject": Row(realisation_page("afwijzen/"), roles=STAFF),
    "sroi:contractor_create": Row(static("/sroi/opdrachtnemers/nieuw/"), roles=STAFF),
    "sroi:contractor_edit": Row(contractor_edit, roles=STAFF),
    "sroi:contribution": Row(fund_form("bijdrage/"), roles=STAFF),
    "sroi:other_income": Row(fund_form("overige-inkomsten/"), roles=STAFF),
    "sroi:allocation": Row(allocation_page(""), roles=STAFF),
    "sroi:disburse": Row(allocation_page("uitbetalen/"), roles=STAFF),
    "sroi:return": Row(allocation_page("terugbetaling/"), roles=STAFF),
    "sroi:close_allocation": Row(allocation_page("sluiten/"), roles=STAFF),
    "sroi:reverse": Row(reverse, roles=STAFF),
    "sroi:closed_years": Row(closed_years, roles=("civil_servant",)),
}

NOT_HTML: dict[str, str] = {
    "accounts:batch_approve": "POST only",
    "accounts:second_factor_enrolment_request": "POST only",
    "reports:request": "POST only",
    "initiatives:close": "POST only",
    "intake:create_link": "POST only",
    "intake:confirm": "POST only",
    "intake:publish": "POST only",
    "intake:unpublish": "POST only",
    "sroi:verify": "POST only",
    "sroi:evidence": "download (the evidence file)",
}
