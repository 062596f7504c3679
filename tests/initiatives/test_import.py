import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives import services, tabular
from initiatives.models import Initiative, InitiativeImport

pytestmark = pytest.mark.django_db

HEADER = "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase;leefgebieden;startdatum\n"
GOOD = 'Buurtkeuken;Samen eten;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming;"Werk; Zorg";2024-05-01\n'


def upload(content: str, name="register.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def nl():
    from django.utils import translation

    with translation.override("nl"):
        yield


def test_every_bad_row_is_reported_with_its_line_number(civil_servant, area, nl):
    content = (
        HEADER
        + GOOD
        + ";Geen naam;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming;;\n"  # line 3
        + "Tuin;Groen;Atlantis;Bewoner(s);Vereniging;Ideevorming;;\n"  # line 4
        + "Markt;Ruilen;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming;Geluk;31-02-2024\n"  # 5
        + "Buurtkeuken;Dubbel;Bijlmer-Centrum;Bewoner(s);Vereniging;Ideevorming;;\n"  # line 6
    )
    imported, rows = services.upload_import(actor=civil_servant, uploaded_file=upload(content))
    bad = {row.line: row.errors for row in rows if row.errors}
    assert set(bad) == {3, 4, 5, 6}
    assert "'naam' is leeg." in bad[3]
    assert "Onbekend gebied 'Atlantis'." in bad[4]
    assert any("Geluk" in e for e in bad[5]) and any("31-02-2024" in e for e in bad[5])
    assert any("regel 2" in e for e in bad[6])
    assert imported.error_count == 4 and imported.row_count == 5
    assert not Initiative.objects.exists()


def test_nothing_is_written_until_confirmed_and_then_all_or_nothing(civil_servant, area, nl):
    content = HEADER + GOOD + "Tuin;Groen;Atlantis;Bewoner(s);Vereniging;Ideevorming;;\n"
    imported, _rows = services.upload_import(actor=civil_servant, uploaded_file=upload(content))
    # one bad row, said in the singular (it said "1 regels bevatten fouten")
    with pytest.raises(
        ValidationError, match=r"'1 regel bevat fouten; er is niets geïmporteerd\.'"
    ):
        services.run_import(upload=imported, actor=civil_servant, only_valid=False)
    assert not Initiative.objects.exists()
    created = services.run_import(upload=imported, actor=civil_servant, only_valid=True)
    assert created == 1
    initiative = Initiative.objects.get()
    assert sorted(c.code for c in initiative.classifications.all()) == ["werk", "zorg"]
    assert initiative.start_date.isoformat() == "2024-05-01"
    imported.refresh_from_db()
    assert imported.status == InitiativeImport.Status.IMPORTED
    with pytest.raises(ValidationError):
        services.run_import(upload=imported, actor=civil_servant, only_valid=True)
    assert Initiative.objects.count() == 1


def test_a_failure_half_way_rolls_back_the_whole_import(civil_servant, area, monkeypatch):
    content = HEADER + GOOD + GOOD.replace("Buurtkeuken", "Tweede")
    imported, _rows = services.upload_import(actor=civil_servant, uploaded_file=upload(content))
    calls = {"n": 0}
    original = services.unique_slug

    def fail_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "unique_slug", fail_on_second)
    with pytest.raises(RuntimeError):
        services.run_import(upload=imported, actor=civil_servant, only_valid=False)
    assert not Initiative.objects.exists()
    imported.refresh_from_db()
    assert imported.status == InitiativeImport.Status.PREVIEW


def test_missing_required_columns_are_named(civil_servant):
    with pytest.raises(tabular.FileProblem, match="gebied"):
        services.upload_import(
            actor=civil_servant, uploaded_file=upload("naam;samenvatting\nA;B\n")
        )
    assert not InitiativeImport.objects.exists()


def test_xlsx_import_and_english_labels(civil_servant, area):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "naam",
            "samenvatting",
            "gebied",
            "initiatiefnemer",
            "organisatievorm",
            "fase",
            "leefgebieden",
        ]
    )
    sheet.append(
        [
            "Repair café",
            "Repareren",
            "bijlmer-centrum",
            "Resident(s)",
            "Association",
            "Idea formation",
            "Work;Care",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("register.xlsx", buffer.getvalue())
    imported, rows = services.upload_import(actor=civil_servant, uploaded_file=file)
    assert [row.errors for row in rows] == [[]]
    services.run_import(upload=imported, actor=civil_servant, only_valid=False)
    assert Initiative.objects.get().initiator_type == "bewoners"


def test_export_then_import_round_trips(civil_servant, area):
    from initiatives import selectors

    content = HEADER + GOOD
    imported, _ = services.upload_import(actor=civil_servant, uploaded_file=upload(content))
    services.run_import(upload=imported, actor=civil_servant, only_valid=False)
    exported = "".join(tabular.write_csv(selectors.initiatives_for_list(), tabular.ALL_COLUMNS))
    Initiative.objects.all().delete()
    again, rows = services.upload_import(
        actor=civil_servant, uploaded_file=upload(exported.lstrip("\ufeff"))
    )
    assert [row.errors for row in rows] == [[]]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("opstart", "opstart"),
        ("Opstartfase", "opstart"),
        ("OPSTARTFASE", "opstart"),
        ("Opstartfase, 0-2 jaar", "opstart"),
        ("opstart_fase", "opstart"),
        ("Start-up phase", "opstart"),
        ("continuïteit", "continuiteit"),
        ("Continuiteit", "continuiteit"),
        ("gevestigd", "gevestigd"),
    ],
)
def test_a_phase_is_recognised_by_code_label_or_short_form_in_any_case(text, code):
    from initiatives.classifications import Phase

    assert tabular.match_choice(Phase, text) == code


def test_short_forms_of_other_classifications(area):
    from initiatives.classifications import InitiatorType, OrganisationForm, Threshold

    assert tabular.match_choice(InitiatorType, "bewoner") == "bewoners"
    assert tabular.match_choice(InitiatorType, "SOCIAAL_ONDERNEMER") == "sociaal_ondernemer"
    assert tabular.match_choice(OrganisationForm, "bv") == "onderneming"
    assert tabular.match_choice(Threshold, "Eerste volgers") == "1_eerste_volgers"
    assert tabular.match_choice(Threshold, "3") == "3_steun"
    assert tabular.match_choice(InitiatorType, "iemand") is None


def test_an_upload_with_codes_and_short_forms_imports_through_the_pages(
    client, civil_servant, area
):
    content = (
        "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase;leefgebieden\n"
        "Moestuin;Samen tuinieren;BIJLMER-CENTRUM;bewoners;STICHTING;Opstartfase;werk; ZORG\n"
    ).replace("werk; ZORG", '"werk; ZORG"')
    client.force_login(civil_servant)
    response = client.post("/initiatieven/importeren/", {"file": upload(content)})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "1 van 1 regel is geldig." in preview  # it said "1 van de 1 regels zijn"
    response = client.post(response["Location"], {"action": "import_all"}, follow=True)
    initiative = Initiative.objects.get()
    assert (initiative.phase, initiative.organisation_form) == ("opstart", "stichting")
    assert sorted(c.code for c in initiative.classifications.all()) == ["werk", "zorg"]
    # One initiative: the message is singular.
    html = response.content.decode()
    assert "1 initiatief is geïmporteerd." in html and "1 initiatieven" not in html


def test_the_preview_says_which_values_are_allowed(client, civil_servant, area):
    content = (
        "naam;samenvatting;gebied;initiatiefnemer;organisatievorm;fase\n"
        "Moestuin;Samen tuinieren;Bijlmer-Centrum;bewoners;vereniging;halverwege\n"
    )
    client.force_login(civil_servant)
    response = client.post("/initiatieven/importeren/", {"file": upload(content)})
    html = client.get(response["Location"]).content.decode()
    assert "halverwege" in html
    for label in ("Ideevorming", "Opstartfase, 0-2 jaar", "Gevestigd, langer dan 10 jaar"):
        assert label in html
    assert not Initiative.objects.exists()


def test_the_templates_have_every_import_column_and_the_xlsx_explains_them(
    client, civil_servant, area
):
    from openpyxl import load_workbook

    client.force_login(civil_servant)
    csv_text = client.get("/initiatieven/importeren/sjabloon.csv").content.decode("utf-8-sig")
    assert csv_text.strip().split(",") == tabular.IMPORT_COLUMNS
    response = client.get("/initiatieven/importeren/sjabloon.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    first, explanation = workbook.worksheets
    assert [c.value for c in first[1]] == tabular.IMPORT_COLUMNS
    explained = {row[0].value: row for row in explanation.iter_rows(min_row=2)}
    assert set(explained) == set(tabular.IMPORT_COLUMNS)
    assert "Opstartfase, 0-2 jaar (opstart)" in explained["fase"][3].value
    assert explained["naam"][1].value == "ja"
    # The empty template, filled in with one row, imports.
    filled = {
        "naam": "Moestuin",
        "samenvatting": "Samen tuinieren",
        "gebied": "Bijlmer-Centrum",
        "initiatiefnemer": "bewoners",
        "organisatievorm": "vereniging",
        "fase": "opstart",
    }
    first.append([filled.get(column) for column in tabular.IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    imported, rows = services.upload_import(
        actor=civil_servant, uploaded_file=SimpleUploadedFile("ingevuld.xlsx", buffer.getvalue())
    )
    assert [row.errors for row in rows] == [[]]


def test_the_import_page_explains_the_columns(client, civil_servant):
    client.force_login(civil_servant)
    html = client.get("/initiatieven/importeren/").content.decode()
    assert "/initiatieven/importeren/sjabloon.xlsx" in html
    assert "/initiatieven/importeren/sjabloon.csv" in html
    assert "Opstartfase, 0-2 jaar" in html and "<code>opstart</code>" in html
