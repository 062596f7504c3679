"""Uploads are recognised by their content, stored under random names, served as downloads."""

import importlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve
from PIL import Image

from security.uploads import DOCUMENTS, EVIDENCE, clean_upload, display_name, sniff


def png_bytes(size=(4, 4)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format="PNG")
    return output.getvalue()


def jpeg_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 200)).save(output, format="JPEG")
    return output.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return output.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


GOOD = {
    "pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
    "png": png_bytes(),
    "jpeg": jpeg_bytes(),
    "odt": zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
    "ods": zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}
    ),
    "docx": zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
    "xlsx": xlsx_bytes(),
    "csv": b"naam;gebied\nBuurtkeuken;Bijlmer\n",
    "txt": b"Een korte notitie over de begroting.\n",
}

BAD = {
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "svg with xml header": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "html fragment": b"  <script>alert(1)</script>",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
    "zip": zip_bytes({"a.txt": b"x"}),
    "binary": bytes(range(256)),
    "gif": b"GIF89a\x01\x00\x01\x00",
}


@pytest.mark.parametrize(("kind", "content"), GOOD.items())
def test_accepted_kinds_are_recognised_by_content(kind, content):
    assert sniff(content) == kind


@pytest.mark.parametrize("content", BAD.values(), ids=BAD.keys())
def test_markup_executables_and_unknown_files_are_refused_whatever_their_name(content, settings):
    settings.UPLOAD_MAX_BYTES = 10_000_000
    assert sniff(content) is None
    with pytest.raises(ValidationError):
        clean_upload(SimpleUploadedFile("begroting.pdf", content), allowed=DOCUMENTS)


def test_a_pdf_with_javascript_is_refused(settings):
    content = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    with pytest.raises(ValidationError, match="script"):
        clean_upload(SimpleUploadedFile("a.pdf", content), allowed=DOCUMENTS)


def test_a_stored_file_gets_a_random_name_with_the_extension_of_its_real_kind():
    stored = clean_upload(
        SimpleUploadedFile("../../etc/rapport.exe", GOOD["pdf"]), allowed=EVIDENCE
    )
    assert stored.name.endswith(".pdf") and "rapport" not in stored.name and "/" not in stored.name
    other = clean_upload(SimpleUploadedFile("rapport.exe", GOOD["pdf"]), allowed=EVIDENCE)
    assert other.name != stored.name


def test_an_image_is_re_encoded_so_nothing_rides_along():
    payload = b"<script>alert(1)</script>"
    stored = clean_upload(SimpleUploadedFile("foto.png", GOOD["png"] + payload), allowed=EVIDENCE)
    content = stored.read()
    assert payload not in content and content.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (4, 4)


def test_a_broken_image_is_refused():
    with pytest.raises(ValidationError):
        clean_upload(SimpleUploadedFile("foto.png", GOOD["png"][:40]), allowed=EVIDENCE)


def test_a_kind_outside_the_allowed_list_is_refused_with_the_list():
    with pytest.raises(ValidationError) as error:
        clean_upload(SimpleUploadedFile("notitie.txt", GOOD["txt"]), allowed=EVIDENCE)
    assert "PDF" in error.value.messages[0] and "PNG" in error.value.messages[0]


def test_the_size_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        clean_upload(SimpleUploadedFile("a.pdf", GOOD["pdf"] + b" " * 200), allowed=DOCUMENTS)


def test_the_display_name_is_harmless():
    assert display_name(SimpleUploadedFile('../a"b\x00\\c.pdf', b"x")) == "abc.pdf"


def test_media_is_not_served_even_in_debug(settings):
    import config.urls

    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        with pytest.raises(Resolver404):
            resolve("/media/voorstellen/2026/begroting.pdf", urlconf=config.urls)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
