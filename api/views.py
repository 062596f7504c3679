"""The open API's endpoints: public, read-only, each over one selector."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from governance import selectors as governance_selectors
from initiatives.filters import InitiativeFilter
from initiatives.selectors import initiatives_for_list
from intake.models import Answer, Intake, Question
from reports import opendata
from reports.selectors import published_reports
from sroi import ledger_selectors as ledger
from sroi import selectors as sroi_selectors
from sroi.models import Allocation, Contract

from . import serializers
from .base import API_VERSION, PublicAPIView, PublicReadOnlyViewSet


def _number(what: str) -> OpenApiParameter:
    """The path's `id`, described in Dutch (Django REST framework's words are English)."""
    return OpenApiParameter(
        "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=f"Het nummer van {what}."
    )


@extend_schema_view(
    list=extend_schema(
        summary="Initiatieven in het register",
        description="Het openbare register, met dezelfde filters als de pagina /initiatieven/.",
        tags=["register"],
    ),
    retrieve=extend_schema(
        summary="Eén initiatief", description="Eén initiatief uit het register.", tags=["register"]
    ),
)
class InitiativeViewSet(PublicReadOnlyViewSet):
    """The public register: the same filters as /initiatieven/ (q, area, phase, leefgebied, …)."""

    serializer_class = serializers.InitiativeSerializer
    lookup_field = "slug"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = InitiativeFilter

    def get_queryset(self):
        return initiatives_for_list().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Gepubliceerde intakeprofielen",
        description=(
            "Bevestigde intakes waarvan het initiatief het profiel wil laten zien, met de "
            "scores op de schalen van 1 tot 10."
        ),
        tags=["register"],
    ),
    retrieve=extend_schema(
        summary="Eén intakeprofiel",
        description="Eén gepubliceerd intakeprofiel.",
        tags=["register"],
        parameters=[_number("het intakeprofiel")],
    ),
)
class IntakeProfileViewSet(PublicReadOnlyViewSet):
    """Confirmed intakes whose profile the initiative agreed to publish, with their scale scores."""

    serializer_class = serializers.IntakeProfileSerializer

    def get_queryset(self):
        scale = Answer.objects.filter(question__kind=Question.Kind.SCALE).select_related("question")
        return (
            Intake.objects.filter(is_published=True, status=Intake.Status.CONFIRMED)
            .select_related("initiative", "questionnaire")
            .prefetch_related(
                Prefetch(
                    "answers", queryset=scale.order_by("question__number"), to_attr="scale_answers"
                )
            )
            .order_by("-date", "-pk")
        )


YEAR = OpenApiParameter(
    "jaar", OpenApiTypes.INT, description="Jaar van de geldstromen (standaard: dit jaar)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Gemeenschapsfondsen met hun saldo",
        description="Elk gemeenschapsfonds met het geld dat er nu in zit.",
        tags=["fonds"],
    ),
    retrieve=extend_schema(
        summary="Eén fonds: saldo, beschikbaar, geld in en uit in een jaar",
        description=(
            "Het saldo van het fonds, wat nog vrij is, wat is toegekend maar nog niet betaald, "
            "en het geld in en uit in een jaar (in het lopende jaar: tot vandaag)."
        ),
        tags=["fonds"],
        parameters=[YEAR],
    ),
)
class FundViewSet(PublicReadOnlyViewSet):
    lookup_field = "slug"

    def get_queryset(self):
        return ledger.funds_with_balance().order_by("name")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.FundDetailSerializer
        return serializers.FundSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        raw = self.request.query_params.get("jaar")
        if raw is not None:
            if not raw.isdigit() or not 2000 <= int(raw) <= timezone.localdate().year + 1:
                raise ValidationError({"jaar": "Geef een jaar als 2025."})
            context["year"] = int(raw)
        return context


class ContractFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Contract.Status.choices)

    class Meta:
        model = Contract
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Contracten met hun social-returnverplichting",
        description=(
            "Opdrachten van de gemeente met social return: de verplichting, wat de "
            "opdrachtnemer deed en wat in geld in het fonds kwam."
        ),
        tags=["fonds"],
    ),
    retrieve=extend_schema(
        summary="Eén contract", description="Eén contract, op zijn kenmerk.", tags=["fonds"]
    ),
)
class ContractViewSet(PublicReadOnlyViewSet):
    serializer_class = serializers.ContractSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ContractFilter

    def get_queryset(self):
        return sroi_selectors.contracts_with_progress().order_by("reference")


class AllocationFilter(filters.FilterSet):
    fonds = filters.CharFilter(field_name="fund__slug")
    initiatief = filters.CharFilter(field_name="initiative__slug")
    jaar = filters.NumberFilter(field_name="date__year")

    class Meta:
        model = Allocation
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Toekenningen uit de fondsen",
        description=(
            "Geld dat een besluit aan een initiatief toekende, met wat al betaald is en wat nog open staat."
        ),
        tags=["fonds"],
    ),
    retrieve=extend_schema(
        summary="Eén toekenning",
        description="Eén toekenning.",
        tags=["fonds"],
        parameters=[_number("de toekenning")],
    ),
)
class AllocationViewSet(PublicReadOnlyViewSet):
    serializer_class = serializers.AllocationSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = AllocationFilter

    def get_queryset(self):
        return sroi_selectors.allocations()


class DecisionFilter(filters.FilterSet):
    jaar = filters.NumberFilter(field_name="decided_at__year")
    uitkomst = filters.CharFilter(field_name="outcome")

    class Meta:
        model = opendata.Decision
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Besluiten met hun telling",
        description=(
            "Openbare besluiten, met de stemmen als getallen en de uitkomst in woorden. "
            "Nooit wie hoe stemde."
        ),
        tags=["besluiten"],
    ),
    retrieve=extend_schema(
        summary="Eén besluit",
        description="Eén besluit met de telling.",
        tags=["besluiten"],
        parameters=[_number("het besluit (niet het kenmerk)")],
    ),
)
class DecisionViewSet(PublicReadOnlyViewSet):
    """Decisions the public may see, with the tally as numbers and the outcome in words."""

    serializer_class = serializers.DecisionSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = DecisionFilter

    def get_queryset(self):
        return opendata.public_decisions()


@extend_schema_view(
    list=extend_schema(
        summary="Gepubliceerde jaarverslagen",
        description="Elke gepubliceerde versie van een jaarverslag, met de SHA-256 van de pdf.",
        tags=["verslagen"],
    ),
    retrieve=extend_schema(
        summary="Eén jaarverslag",
        description="Eén versie van een jaarverslag.",
        tags=["verslagen"],
        parameters=[_number("de versie van het jaarverslag")],
    ),
)
class ReportViewSet(PublicReadOnlyViewSet):
    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        return published_reports()


@extend_schema_view(
    list=extend_schema(
        summary="Stembiljetten van getelde geheime peilingen: de cijfers om ze te controleren",
        description=(
            "Van elke getelde geheime peiling: het aantal stembiljetten en deelnames (per "
            "manier van stemmen), de omvang en SHA-256 van het kiesregister en de sleutel. "
            "Nooit wie hoe stemde."
        ),
        tags=["besluiten"],
    ),
    retrieve=extend_schema(
        summary="Het stembiljet van één getelde peiling: elke volgcode met de keuze",
        description=(
            "Alles om de peiling zelf na te tellen: elke volgcode met de keuze (alleen de "
            "codes als de peiling de keuzes niet laat zien), de regel en de telling."
        ),
        tags=["besluiten"],
    ),
    codes=extend_schema(
        summary="De volgcodes van één getelde peiling, gesorteerd, per pagina",
        description="De volgcodes met hun keuze, op volgorde van de code, per pagina.",
        tags=["besluiten"],
        operation_id="stembiljetten_codes_list",
        responses={200: serializers.BallotRowSerializer(many=True)},
    ),
)
class BulletinViewSet(PublicReadOnlyViewSet):
    """The public bulletin of every counted sealed poll (governance.selectors.bulletin): tracking
    codes with their choices (codes only when the poll hides choices), participations per
    channel, the roll's size and SHA-256. The same for 1 or 10,000 ballots in queries."""

    serializer_class = serializers.BulletinSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return governance_selectors.published_bulletins()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.BulletinDetailSerializer
        if self.action == "codes":
            return serializers.BallotRowSerializer
        return serializers.BulletinSerializer

    def get_serializer_context(self):
        return super().get_serializer_context() | getattr(self, "extra_context", {})

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.extra_context = {
            "channels": governance_selectors.participation_by_channel(p.pk for p in page)
        }
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        self.extra_context = {
            "channels": governance_selectors.participation_by_channel([proposal.pk]),
            "ballots": list(governance_selectors.bulletin_ballots(proposal)),
        }
        return Response(self.get_serializer(proposal).data)

    @action(detail=True, url_path="codes", url_name="codes")
    def codes(self, request, *args, **kwargs):
        proposal = self.get_object()
        page = self.paginate_queryset(governance_selectors.bulletin_ballots(proposal))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(exclude=True)  # the entry point; the OpenAPI document describes the endpoints
class ApiRootView(PublicAPIView):
    """`/api/v1/`: where everything is, for a person or a program that starts at the root
    (anonymous, throttled and versioned as every endpoint)."""

    endpoints: tuple[tuple[str, str], ...] = ()  # (path, URL name), set by api/urls.py

    def get(self, request):
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(f"api:{name}"))

        return Response(
            {
                "naam": "Burgerkracht open API",
                "versie": API_VERSION,
                "openapi": url("openapi"),
                "endpoints": {path: url(name) for path, name in self.endpoints},
            }
        )
