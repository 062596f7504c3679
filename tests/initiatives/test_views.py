import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.models import Area
from initiatives.models import Initiative
from tests.accounts.factories import AreaFactory

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(area):
    other = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    return {
        "keuken": InitiativeFactory(
            name="Buurtkeuken",
            slug="buurtkeuken",
            summary="Samen koken in de wijk",
            area=area,
            classes=[("leefgebied", "gezin"), ("werkveld", "sociale_cohesie")],
            contact_email="kok@example.org",
        ),
        "tuin": InitiativeFactory(
            name="Moestuin",
            slug="moestuin",
            summary="Groente kweken",
            description="Een tuin voor iedereen, ook voor ouderen.",
            area=other,
            phase="rijping",
            classes=[("leefgebied", "zorg")],
        ),
        "gestopt": InitiativeFactory(
            name="Zwerfvuil",
            slug="zwerfvuil",
            area=area,
            status=Initiative.Status.ENDED,
        ),
    }


def names(response):
    return [i.name for i in response.context["page"]]


def test_register_lists_everything_sorted_by_name(client, register):
    assert names(client.get("/initiatieven/")) == ["Buurtkeuken", "Moestuin", "Zwerfvuil"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "koken"}, ["Buurtkeuken"]),
        ({"q": "ouderen"}, ["Moestuin"]),  # in the description
        ({"q": "tuin iedereen"}, ["Moestuin"]),  # every word must match
        ({"phase": "rijping"}, ["Moestuin"]),
        ({"status": Initiative.Status.ENDED}, ["Zwerfvuil"]),
        ({"sort": "-naam"}, ["Zwerfvuil", "Moestuin", "Buurtkeuken"]),
    ],
)
def test_search_filters_and_sorting(client, register, query, expected):
    assert names(client.get("/initiatieven/", query)) == expected


def test_filter_by_area_and_classifications(client, register):
    from initiatives.models import Classification

    family = Classification.objects.get(scheme="leefgebied", code="gezin")
    cohesion = Classification.objects.get(scheme="werkveld", code="sociale_cohesie")
    care = Classification.objects.get(scheme="leefgebied", code="zorg")
    area = register["tuin"].area
    assert names(client.get("/initiatieven/", {"area": area.pk})) == ["Moestuin"]
    assert names(
        client.get("/initiatieven/", {"leefgebied": family.pk, "werkveld": cohesion.pk})
    ) == ["Buurtkeuken"]
    assert (
        names(client.get("/initiatieven/", {"leefgebied": care.pk, "werkveld": cohesion.pk})) == []
    )


def test_pagination(client, area):
    for i in range(30):
        InitiativeFactory(name=f"I{i:02}", slug=f"i{i}", area=area)
    first = client.get("/initiatieven/")
    assert len(first.context["page"]) == 25
    second = client.get("/initiatieven/", {"page": 2})
    assert names(second) == [f"I{i:02}" for i in range(25, 30)]


@pytest.mark.parametrize("sort", [None, "naam", "-naam", "nieuwste", "oudste", "gebied"])
def test_every_order_pages_each_initiative_once_also_with_equal_names(client, area, sort):
    """The register pages by keys first (common.paging.KeysFirst): each page holds the rows a
    plain OFFSET of the whole order would, and with names that repeat every initiative is on
    exactly one page (the order ends with the key)."""
    from datetime import timedelta

    from django.utils import timezone

    from initiatives.selectors import SORTS, initiatives_for_list

    other = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    start = timezone.now()
    for i in range(60):
        made = InitiativeFactory(name=f"Buurt {i % 7}", slug=f"b{i}", area=(area, other)[i % 2])
        # the same moment for pairs: ties on created_at too
        Initiative.objects.filter(pk=made.pk).update(created_at=start - timedelta(hours=i // 2))
    params = {"sort": sort} if sort else {}
    seen = []
    for number in (1, 2, 3):
        response = client.get("/initiatieven/", {**params, "page": number})
        seen += [initiative.slug for initiative in response.context["page"]]
    order = SORTS[sort or "naam"]
    expected = list(initiatives_for_list().order_by(*order).values_list("slug", flat=True))
    assert seen == expected
    assert len(set(seen)) == 60


def test_keys_first_reads_the_page_of_a_filtered_order(area):
    from common.paging import KeysFirst
    from initiatives.selectors import initiatives_for_list

    for i in range(12):
        InitiativeFactory(
            name=f"N{i % 4}", slug=f"n{i}", area=area, phase=("opstart", "rijping")[i % 2]
        )
    rows = initiatives_for_list().filter(phase="rijping").order_by("-name", "-pk")
    assert [i.slug for i in KeysFirst(rows)[2:5]] == [i.slug for i in rows[2:5]]
    assert KeysFirst(rows).count() == 6 and KeysFirst(rows).ordered
    assert KeysFirst(rows)[6:9] == []


def test_initiative_page_shows_public_fields_only(client, register):
    html = client.get("/initiatieven/buurtkeuken/").content.decode()
    assert "Buurtkeuken" in html and "Gezin" in html and "Bijlmer-Centrum" in html
    assert "kok@example.org" not in html


def test_unknown_initiative_is_404(client, db):
    assert client.get("/initiatieven/bestaat-niet/").status_code == 404


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_public_csv_export_follows_the_filter_and_has_no_personal_data(client, register):
    response = client.get("/initiatieven/export.csv", {"q": "koken"})
    rows = _csv(response)
    assert [r["naam"] for r in rows] == ["Buurtkeuken"]
    assert rows[0]["leefgebieden"] == "Gezin"
    assert "contact_email" not in rows[0]


def test_full_export_for_civil_servants(client, register, civil_servant):
    client.force_login(civil_servant)
    rows = _csv(client.get("/initiatieven/export-volledig.csv"))
    assert {r["naam"]: r["contact_email"] for r in rows}["Buurtkeuken"] == "kok@example.org"
    response = client.get("/initiatieven/export-volledig.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "naam" and len(values) == 4


def test_civil_servant_registers_and_edits_with_history(client, civil_servant, area):
    from initiatives.models import Classification

    client.force_login(civil_servant)
    work = Classification.objects.get(scheme="leefgebied", code="werk")
    data = {
        "name": "Taalcafé",
        "summary": "Nederlands oefenen",
        "area": area.pk,
        "status": Initiative.Status.REGISTERED,
        "phase": "ideevorming",
        "initiator_type": "bewoners",
        "organisation_form": "vereniging",
        "cls_leefgebied": [work.pk],
    }
    response = client.post(reverse("initiatives:create"), data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(slug="taalcafe")
    assert list(initiative.classifications.all()) == [work]
    client.post(reverse("initiatives:edit", args=["taalcafe"]), {**data, "phase": "opstart"})
    page = client.get(reverse("initiatives:staff", args=["taalcafe"])).content.decode()
    assert "Ideevorming" in page and "Opstartfase, 0-2 jaar" in page  # the change in the history
    assert "ambtenaar" in page


def test_history_separates_classifications_whose_labels_hold_commas(client, civil_servant, area):
    """A label may hold a comma ("Zelfhulpgroepen, lotgenoten"): the history separates the
    chosen classifications with semicolons, so two do not read as four."""
    from initiatives.models import Classification

    client.force_login(civil_servant)
    chosen = Classification.objects.filter(scheme="werkveld", code__in=["maatjes", "zelfhulp"])
    data = {
        "name": "Taalmaatjes",
        "summary": "Samen Nederlands oefenen",
        "area": area.pk,
        "status": Initiative.Status.REGISTERED,
        "phase": "ideevorming",
        "initiator_type": "bewoners",
        "organisation_form": "vereniging",
    }
    assert client.post(reverse("initiatives:create"), data).status_code == 302
    edit = {**data, "cls_werkveld": [c.pk for c in chosen]}
    assert client.post(reverse("initiatives:edit", args=["taalmaatjes"]), edit).status_code == 302
    page = client.get(reverse("initiatives:staff", args=["taalmaatjes"])).content.decode()
    assert "Maatjes-projecten, mentor, koppelen duo&#x27;s; Zelfhulpgroepen, lotgenoten" in page


def test_invalid_form_shows_dutch_errors_and_writes_nothing(client, civil_servant, area):
    client.force_login(civil_servant)
    response = client.post(
        reverse("initiatives:create"), {"name": "", "website": "geen-url", "area": area.pk}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Dit veld is verplicht." in errors["name"]
    assert "Voer een geldige URL in." in errors["website"]
    assert not Initiative.objects.exists()


def test_close_initiative(client, civil_servant, register):
    client.force_login(civil_servant)
    client.post(reverse("initiatives:close", args=["buurtkeuken"]))
    assert Initiative.objects.get(slug="buurtkeuken").status == Initiative.Status.ENDED


def test_import_through_the_pages(client, civil_servant, area):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(civil_servant)
    content = (
        "naam,samenvatting,gebied,initiatiefnemer,organisatievorm,fase\n"
        "Repair café,Repareren,Bijlmer-Centrum,Bewoner(s),Vereniging,Ideevorming\n"
        "Fout,Geen gebied,Nergens,Bewoner(s),Vereniging,Ideevorming\n"
    )
    response = client.post(
        reverse("initiatives:import"), {"file": SimpleUploadedFile("r.csv", content.encode())}
    )
    preview = client.get(response.url)
    html = preview.content.decode()
    assert "1 van de 2 regels zijn geldig" in html
    assert "Onbekend gebied &#x27;Nergens&#x27;." in html
    assert not Initiative.objects.exists()
    client.post(response.url, {"action": "import_valid"})
    assert list(Initiative.objects.values_list("name", flat=True)) == ["Repair café"]


def test_areas_are_managed_by_civil_servants(client, civil_servant, area):
    client.force_login(civil_servant)
    response = client.post(
        reverse("initiatives:areas"),
        {"name": "Holendrecht", "kind": Area.Kind.NEIGHBOURHOOD, "parent": ""},
    )
    assert response.status_code == 302

    assert Area.objects.filter(name="Holendrecht", slug="holendrecht").exists()


# SQLite's search (PostgreSQL searches with its own Dutch stemmer) (tests/at_commit.py).
@pytest.mark.rolled_back_only
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("moestuin", ["Moestuin", "Tuinen in de buurt"]),
        ("moestuinen", ["Moestuin", "Tuinen in de buurt"]),  # the plural finds the same
        ("buurthuis", ["Tuinen in de buurt"]),  # the text says "buurthuizen"
        ("buurthuizen moestuinen", ["Tuinen in de buurt"]),  # every word must match
        ("kweken", ["Moestuin"]),
    ],
)
def test_search_on_sqlite_uses_dutch_stems(client, register, area, query, expected):
    # given: one initiative that speaks of "moestuinen" and "buurthuizen" in the plural
    InitiativeFactory(
        name="Tuinen in de buurt",
        slug="tuinen",
        summary="Wij beginnen moestuinen bij buurthuizen.",
        area=area,
    )
    # when / then: a resident's search finds both the singular and the plural
    assert names(client.get("/initiatieven/", {"q": query})) == expected


@pytest.mark.parametrize(
    ("query", "is_open"),
    [
        ({}, False),
        ({"page": "1"}, False),  # another page of the whole register filters nothing
        ({"q": ""}, False),  # "Show" with every field left empty
        ({"q": "koken"}, False),  # a search alone: its box is above the fold, in view
        # a search from the form, which sends every field and the default order
        ({"q": "koken", "area": "", "phase": "", "sort": "naam"}, False),
        ({"phase": "rijping"}, True),
        ({"sort": "-naam"}, True),
    ],
)
def test_the_filters_fold_away_unless_one_is_in_use(client, register, query, is_open):
    """On a phone the filters wait behind "Filteren" (a <details>), so the first result is on
    the first screen; a filter in use keeps them open, so the visitor sees what is chosen. The
    search box is not folded away: it stands above the fold, in the same form."""
    html = client.get("/initiatieven/", query).content.decode()
    details = re.search(r'<details class="bk-fold" data-testid="filters"( open)?>', html)
    assert details, "the filters are not in a fold"
    assert bool(details.group(1)) is is_open
    form = html.rindex('role="search"', 0, details.start())
    fold_end = html.index("</details>", details.end())
    assert 'name="q"' in html[form : details.start()]
    assert 'name="q"' not in html[details.end() : fold_end]
    assert 'name="phase"' in html[details.end() : fold_end]
    assert "</form>" not in html[form:fold_end]  # one form: the fold's fields go with it


@pytest.mark.parametrize(
    ("description", "says_more"),
    [
        ("Samen groente kweken.", False),
        ("  Samen groente kweken.\n", False),
        ("Elke zaterdag.", True),
    ],
)
def test_a_description_that_repeats_the_summary_is_shown_once(client, description, says_more):
    # given an initiative whose description is its summary (a budget round's plan becomes one
    # so), or one that says more
    initiative = InitiativeFactory(summary="Samen groente kweken.", description=description)
    # when its page is shown
    main = client.get(initiative.get_absolute_url()).content.decode().split("<main", 1)[1]
    # then the summary is there once, and a description that says more is there too
    assert main.count("Samen groente kweken.") == 1
    assert ("Elke zaterdag." in main) == says_more
