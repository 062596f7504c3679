"""What each endpoint shows: public fields only, with the Dutch machine names of the open data.

No contact details, no user names, no person references of realisations, no votes of anyone.
"""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from governance import tally
from governance.models import Choice, DecisionRule, Participation, Proposal
from initiatives.classifications import Phase
from initiatives.models import Initiative
from initiatives.tabular import MULTI_COLUMNS
from reports import opendata
from sroi import ledger_selectors as ledger
from sroi import promises
from sroi import selectors as sroi_selectors
from sroi.models import AllocationState, Contract

# A decision's outcome as a code and its words (the model's choices).
OUTCOMES = [(tally.ADOPTED, _("Adopted")), (tally.REJECTED, _("Rejected"))]
# The ways of voting, with their Dutch words, for the document (made in Dutch, `make openapi`).
with translation.override("nl"):
    CHANNELS_NL = [(code, str(label)) for code, label in Participation.Channel.choices]


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


class InitiativeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    naam = serializers.CharField(source="name")
    samenvatting = serializers.CharField(source="summary")
    beschrijving = serializers.CharField(source="description")
    gebied = serializers.CharField(source="area.name")
    fase = serializers.ChoiceField(source="phase", choices=Phase.choices)
    fase_label = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Initiative.Status.choices)
    startdatum = serializers.DateField(source="start_date", allow_null=True)
    website = serializers.CharField()
    bloedgroep = serializers.CharField()
    classificaties = serializers.SerializerMethodField()
    geregistreerd_op = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_fase_label(self, initiative: Initiative) -> str:
        with translation.override("nl"):
            return str(initiative.get_phase_display())

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"leefgebieden": ["meedoen"], "werkvelden": ["groen"]},
        }
    )
    def get_classificaties(self, initiative: Initiative) -> dict[str, list[str]]:
        by_scheme: dict[str, list[str]] = {column: [] for column in MULTI_COLUMNS}
        scheme_to_column = {scheme: column for column, scheme in MULTI_COLUMNS.items()}
        for classification in initiative.classifications.all():
            by_scheme[scheme_to_column[classification.scheme]].append(classification.code)
        return by_scheme

    def get_geregistreerd_op(self, initiative: Initiative) -> str:
        return initiative.created_at.date().isoformat()

    def get_url(self, initiative: Initiative) -> str:
        return _absolute(self.context.get("request"), initiative.get_absolute_url())


class IntakeProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    initiatief_slug = serializers.CharField(source="initiative.slug")
    initiatief = serializers.CharField(source="initiative.name")
    datum = serializers.DateField(source="date")
    vragenlijst_versie = serializers.IntegerField(source="questionnaire.version")
    totaalscore = serializers.DecimalField(
        source="composite", max_digits=4, decimal_places=1, allow_null=True
    )
    scores = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "vraag": {"type": "integer"},
                    "sleutel": {"type": "string"},
                    "label": {"type": "string"},
                    "waarde": {"type": "integer", "minimum": 1, "maximum": 10},
                },
            },
        }
    )
    def get_scores(self, intake) -> list[dict]:
        return [
            {
                "vraag": answer.question.number,
                "sleutel": answer.question.key,
                "label": answer.question.short_label_nl or answer.question.text_nl,
                "waarde": answer.scale_value,
            }
            for answer in intake.scale_answers
            if answer.scale_value is not None
        ]


class FundSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    naam = serializers.CharField(source="name")
    gebied = serializers.CharField(source="area.name", allow_null=True, default=None)
    beschrijving = serializers.CharField(source="description")
    saldo = serializers.DecimalField(source="balance", max_digits=14, decimal_places=2)


MONEY_FIELD = {"type": "string", "format": "decimal", "example": "1250.00"}


@extend_schema_field(
    {
        "type": "object",
        "description": "Geld in en uit in een jaar (tot vandaag in het lopende jaar).",
        "properties": {
            "jaar": {"type": "integer"},
            "tot_en_met": {"type": "string", "format": "date"},
            "tussenstand": {"type": "boolean"},
            **dict.fromkeys(("begin", "in_contracten", "in_gemeente", "in_overig", "terugbetaald", "in_totaal", "uitbetaald", "eind"), MONEY_FIELD),
        },
    }
)  # fmt: skip
class FlowsField(serializers.Field):
    def to_representation(self, flows) -> dict:
        return {
            "jaar": flows.year,
            "tot_en_met": flows.last.isoformat(),
            "tussenstand": flows.interim,
            "begin": f"{flows.opening:.2f}",
            "in_contracten": f"{flows.from_contracts:.2f}",
            "in_gemeente": f"{flows.from_municipality:.2f}",
            "in_overig": f"{flows.other_income:.2f}",
            "terugbetaald": f"{flows.returned:.2f}",
            "in_totaal": f"{flows.total_in:.2f}",
            "uitbetaald": f"{flows.total_out:.2f}",
            "eind": f"{flows.closing:.2f}",
        }


@extend_schema_serializer(
    description="Een fonds nu, en het geld in en uit in een jaar (uit het grootboek)."
)
class FundDetailSerializer(FundSerializer):
    """A fund's position today and the flows of one year, from the ledger's read door."""

    beschikbaar = serializers.SerializerMethodField()
    toegekend_niet_uitbetaald = serializers.SerializerMethodField()
    beloofd = serializers.SerializerMethodField()
    geldstromen = serializers.SerializerMethodField()
    per_contract = serializers.SerializerMethodField()

    @extend_schema_field(MONEY_FIELD)  # a string with two decimals, as every amount
    def get_beschikbaar(self, fund) -> str:
        return f"{ledger.position(fund).available:.2f}"

    @extend_schema_field(MONEY_FIELD)  # a string with two decimals, as every amount
    def get_toegekend_niet_uitbetaald(self, fund) -> str:
        return f"{ledger.position(fund).committed:.2f}"

    @extend_schema_field(
        {
            "type": "array",
            "description": "Geld dat bevroren begrotingsrondes aan bewoners beloofden, uit het "
            "beschikbare geld: het wordt niet voor iets anders toegekend.",
            "items": {
                "type": "object",
                "properties": {"ronde": {"type": "string"}, "bedrag": MONEY_FIELD},
            },
        }
    )
    def get_beloofd(self, fund) -> list[dict]:
        return [
            {"ronde": promise.name, "bedrag": f"{promise.amount:.2f}"}
            for promise in promises.promised(fund)
        ]

    @extend_schema_field(FlowsField)
    def get_geldstromen(self, fund) -> dict:
        today = timezone.localdate()
        year = self.context.get("year") or today.year
        until = today if year == today.year else None
        return FlowsField().to_representation(ledger.flows(fund, year=year, until=until))

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"contract": {"type": "string"}, "bedrag": MONEY_FIELD},
            },
        }
    )
    def get_per_contract(self, fund) -> list[dict]:
        return [
            {"contract": row["account__contract__reference"], "bedrag": f"{row['total']:.2f}"}
            for row in ledger.per_contract(fund)
        ]


class ContractSerializer(serializers.Serializer):
    referentie = serializers.CharField(source="reference")
    titel = serializers.CharField(source="title")
    afdeling = serializers.CharField(source="department")
    opdrachtnemer = serializers.CharField(source="contractor.name")
    opdrachtnemer_kvk = serializers.CharField(source="contractor.kvk_number")
    waarde = serializers.DecimalField(source="value", max_digits=14, decimal_places=2)
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)
    verplichting = serializers.DecimalField(source="obligation", max_digits=14, decimal_places=2)
    soort_verplichting = serializers.ChoiceField(
        source="obligation_kind", choices=Contract.ObligationKind.choices
    )
    startdatum = serializers.DateField(source="start_date")
    einddatum = serializers.DateField(source="end_date")
    deadline = serializers.DateField(source="fulfilment_deadline")
    status = serializers.ChoiceField(choices=Contract.Status.choices)
    gerealiseerd_in_natura = serializers.DecimalField(
        source="verified_in_kind", max_digits=14, decimal_places=2
    )
    betaald_in_geld = serializers.DecimalField(
        source="paid_in_cash", max_digits=14, decimal_places=2
    )
    achter = serializers.SerializerMethodField()
    te_laat = serializers.SerializerMethodField()

    def get_achter(self, contract) -> bool:
        return sroi_selectors.contract_progress(contract).is_behind

    def get_te_laat(self, contract) -> bool:
        return sroi_selectors.contract_progress(contract).is_overdue


class AllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fonds = serializers.CharField(source="fund.slug")
    initiatief_slug = serializers.CharField(source="initiative.slug")
    initiatief = serializers.CharField(source="initiative.name")
    bedrag = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    doel = serializers.CharField(source="purpose")
    datum = serializers.DateField(source="date")
    besluit_referentie = serializers.CharField(source="decision_reference")
    # As open data says it: `paid_in_full` for an open allocation with nothing left to pay.
    status = serializers.ChoiceField(source="state", choices=AllocationState.choices)
    uitbetaald = serializers.DecimalField(source="paid_amount", max_digits=14, decimal_places=2)
    open = serializers.DecimalField(source="open_amount", max_digits=14, decimal_places=2)


def _column(name: str):
    """The open data's description of a decision's column, for the API's document."""
    return next(c.description for c in opendata.DECISION_COLUMNS if c.name == name)


@extend_schema_serializer(
    description=(
        "Een besluit, zoals in de open data (besluiten.csv): de stemmen als getallen, de "
        "regel waarmee geteld is en de uitkomst in woorden."
    )
)
class DecisionSerializer(serializers.Serializer):
    """The open-data row of a decision (reports.opendata.decision_row), tally as numbers. The
    fields declare the row for the API's document; the row itself is what is returned."""

    referentie = serializers.CharField(help_text=_column("referentie"))
    titel = serializers.CharField(help_text=_column("titel"))
    tekst = serializers.CharField(help_text=_column("tekst"))
    soort = serializers.ChoiceField(choices=Proposal.Kind.choices, help_text=_column("soort"))
    methode = serializers.ChoiceField(choices=Proposal.Method.choices, help_text=_column("methode"))
    orgaan = serializers.CharField(allow_null=True, help_text=_column("orgaan"))
    uitkomst = serializers.ChoiceField(choices=OUTCOMES, help_text=_column("uitkomst"))
    besloten_op = serializers.DateField(help_text=_column("besloten_op"))
    voor = serializers.IntegerField(help_text=_column("voor"))
    tegen = serializers.IntegerField(help_text=_column("tegen"))
    onthouding = serializers.IntegerField(help_text=_column("onthouding"))
    opkomst = serializers.IntegerField(help_text=_column("opkomst"))
    kiesgerechtigden = serializers.IntegerField(help_text=_column("kiesgerechtigden"))
    quorum = serializers.ChoiceField(
        choices=DecisionRule.Quorum.choices, help_text=_column("quorum")
    )
    quorum_nodig = serializers.IntegerField(help_text=_column("quorum_nodig"))
    meerderheid_procent = serializers.IntegerField(help_text=_column("meerderheid_procent"))
    meerderheid_nodig = serializers.IntegerField(help_text=_column("meerderheid_nodig"))
    gemeenschapsgarantie = serializers.BooleanField(help_text=_column("gemeenschapsgarantie"))
    gemeenschap_voor = serializers.IntegerField(help_text=_column("gemeenschap_voor"))
    gemeenschap_tegen = serializers.IntegerField(help_text=_column("gemeenschap_tegen"))
    gemeenschap_onthouding = serializers.IntegerField(help_text=_column("gemeenschap_onthouding"))
    gemeenschap_nodig = serializers.IntegerField(help_text=_column("gemeenschap_nodig"))
    uitgevoerd_op = serializers.DateField(allow_null=True, help_text=_column("uitgevoerd_op"))
    toekenning_id = serializers.IntegerField(allow_null=True, help_text=_column("toekenning_id"))
    uitleg = serializers.CharField(help_text=_column("uitleg"))

    def to_representation(self, decision):
        with translation.override("nl"):
            return opendata.decision_row(decision)


class ReportSerializer(serializers.Serializer):
    jaar = serializers.IntegerField(source="year")
    taal = serializers.CharField(source="language")
    gebied = serializers.CharField(source="area.name", allow_null=True, default=None)
    versie = serializers.IntegerField(source="version")
    sha256 = serializers.CharField()
    bytes = serializers.IntegerField(source="size")
    paginas = serializers.IntegerField(source="pages")
    gemaakt_op = serializers.DateTimeField(source="finished_at")
    pdf = serializers.SerializerMethodField()

    def get_pdf(self, report) -> str:
        path = reverse(
            "reports:version_pdf",
            kwargs={"year": report.year, "language": report.language, "version": report.version},
        )
        if report.area_id:
            path += f"?gebied={report.area.slug}"
        return _absolute(self.context.get("request"), path)


@extend_schema_serializer(
    description="Eén regel van de stembiljetten: een volgcode en de keuze (null als de peiling "
    "de keuzes niet laat zien)."
)
class BallotRowSerializer(serializers.Serializer):
    """One line of a bulletin: a tracking code and its choice (null when the poll hides it)."""

    code = serializers.CharField(source="tracking_code")
    keuze = serializers.ChoiceField(source="shown", choices=Choice.choices, allow_null=True)


@extend_schema_serializer(
    description="De stembiljetten van een getelde geheime peiling, zonder de regels: de "
    "getallen om ze mee te controleren."
)
class BulletinSerializer(serializers.Serializer):
    """A counted sealed poll's public bulletin without its lines: the numbers to check it by."""

    # deelnames_per_kanaal comes from the view's context: one query for the whole page.

    voorstel = serializers.IntegerField(source="pk")
    titel = serializers.CharField(source="title")
    besluit = serializers.CharField(source="decision.reference")
    uitkomst = serializers.ChoiceField(source="decision.outcome", choices=OUTCOMES)
    besloten_op = serializers.SerializerMethodField()
    keuzes_openbaar = serializers.SerializerMethodField()
    stembiljetten = serializers.IntegerField(source="ballot_count")
    deelnames = serializers.IntegerField(source="participation_count")
    deelnames_per_kanaal = serializers.SerializerMethodField()
    kiesregister_omvang = serializers.IntegerField(source="poll_key.roll_size")
    kiesregister_sha256 = serializers.CharField(source="poll_key.roll_sha256")
    # the poll's public key: every receipt shows the start of it (`PollKey.mark`)
    sleutel_sha256 = serializers.CharField(source="poll_key.sha256")
    url = serializers.SerializerMethodField()
    codes = serializers.SerializerMethodField()
    pagina = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_besloten_op(self, proposal) -> str:
        return timezone.localtime(proposal.decision.decided_at).date().isoformat()

    def get_keuzes_openbaar(self, proposal) -> bool:
        return not proposal.bulletin_hides_choices

    @extend_schema_field(
        {
            "type": "object",
            "properties": {code: {"type": "integer"} for code in Participation.Channel.values},
            "additionalProperties": False,
            "description": "Deelnames per manier van stemmen: "
            + ", ".join(f"`{code}` ({label})" for code, label in CHANNELS_NL),
            "example": {"online": 120, "paper": 14},
        }
    )
    def get_deelnames_per_kanaal(self, proposal) -> dict[str, int]:
        return self.context.get("channels", {}).get(proposal.pk, {})

    def _api(self, proposal, name: str) -> str:
        path = reverse(f"api:bulletin-{name}", kwargs={"pk": proposal.pk})
        return _absolute(self.context.get("request"), path)

    def get_url(self, proposal) -> str:
        return self._api(proposal, "detail")

    def get_codes(self, proposal) -> str:
        return self._api(proposal, "codes")

    def get_pagina(self, proposal) -> str:
        path = reverse("governance:bulletin", kwargs={"pk": proposal.pk})
        return _absolute(self.context.get("request"), path)


@extend_schema_serializer(
    description="Alle stembiljetten van een getelde peiling: elke volgcode met de keuze "
    "(gesorteerd), de regel en de telling, zodat iedereen ze kan natellen."
)
class BulletinDetailSerializer(BulletinSerializer):
    """The whole bulletin: every code with its choice (sorted), the rule and the decision's
    numbers, so anyone can recount it (`manage.py recount`)."""

    regel = serializers.JSONField(source="rule_snapshot")
    telling = serializers.JSONField(source="decision.tally")
    biljetten = serializers.SerializerMethodField()

    @extend_schema_field(BallotRowSerializer(many=True))
    def get_biljetten(self, proposal) -> list[dict]:
        return BallotRowSerializer(self.context["ballots"], many=True).data
