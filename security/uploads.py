"""Uploads: the type is read from the content, never from the name; files get random names.

Why: a file called `begroting.pdf` may be an HTML page or an SVG with a script. We recognise the
few kinds we accept by their first bytes (and, for ZIP-based office files, by what is inside),
refuse everything else (SVG and HTML in particular), re-encode images so nothing rides along, and
refuse PDFs that carry JavaScript. A stored file gets a random name with the extension of its real
kind; the name the person chose is kept only as a display field. Files are served only through
views that check permissions, always as a download (see `download_response`).
"""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str
    label: str


KINDS = {
    kind.name: kind
    for kind in [
        Kind("pdf", "pdf", "application/pdf", "PDF"),
        Kind("png", "png", "image/png", "PNG"),
        Kind("jpeg", "jpg", "image/jpeg", "JPEG"),
        Kind("odt", "odt", "application/vnd.oasis.opendocument.text", "ODT"),
        Kind("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
        Kind(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
        ),
        Kind(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
        ),
        Kind("csv", "csv", "text/csv", "CSV"),
        Kind("txt", "txt", "text/plain", "TXT"),
    ]
}
DOCUMENTS = frozenset(KINDS)
EVIDENCE = frozenset({"pdf", "png", "jpeg"})
REGISTER_FILES = frozenset({"csv", "xlsx"})

# Markup a browser would run; refused even inside a "text" file.
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<head", b"<iframe")
_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
SNIFF_BYTES = 8192


def _zip_kind(content: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype").strip()
            if mimetype == b"application/vnd.oasis.opendocument.text":
                return "odt"
            if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                return "ods"
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def _text_kind(content: bytes) -> str | None:
    if b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text[:SNIFF_BYTES]):
        return None
    head = text[:SNIFF_BYTES].lower().encode("utf-8", "ignore")
    if any(marker in head for marker in _MARKUP):
        return None
    first = text.split("\n", 1)[0]
    return "csv" if first.count(",") + first.count(";") + first.count("\t") >= 1 else "txt"


def sniff(content: bytes) -> str | None:
    """The kind of file `content` is (a key of KINDS), or None for anything we do not accept."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return _text_kind(content)


def _reencode_image(content: bytes, kind: str) -> bytes:
    """Decode and encode again: only pixels survive (no metadata, no appended payload)."""
    from PIL import (  # noqa: PLC0415 - heavy library, loaded only when used
        Image,
        UnidentifiedImageError,
    )

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(_("The image is too large."))
            output = io.BytesIO()
            if kind == "png":
                image.save(output, format="PNG")
            else:
                image.convert("RGB").save(output, format="JPEG", quality=90)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The image cannot be read.")) from None
    return output.getvalue()


def _allowed_text(allowed: frozenset[str]) -> str:
    return ", ".join(KINDS[k].label for k in KINDS if k in allowed)


def check_upload(upload, *, allowed: frozenset[str]) -> Kind:
    """The kind of an uploaded file, or a ValidationError saying what is accepted."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    content = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    upload.seek(0)
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if not content:
        raise ValidationError(_("The file is empty."))
    kind = sniff(content)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted. Upload one of: %(kinds)s.")
            % {"kinds": _allowed_text(allowed)}
        )
    if kind == "pdf" and any(marker in content for marker in _PDF_ACTIVE):
        raise ValidationError(_("This PDF holds scripts or embedded files; it is not accepted."))
    return KINDS[kind]


def clean_upload(upload, *, allowed: frozenset[str]) -> ContentFile:
    """A checked copy of `upload` to store: a random name, images re-encoded.

    The original name is not part of the stored name; keep it in a display field.
    """
    kind = check_upload(upload, allowed=allowed)
    upload.seek(0)
    content = upload.read()
    if kind.name in ("png", "jpeg"):
        content = _reencode_image(content, kind.name)
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{kind.extension}")


def display_name(upload) -> str:
    """The name the person gave the file, made harmless for display and download."""
    name = os.path.basename(str(getattr(upload, "name", "") or "")).replace("\x00", "")
    name = "".join(c for c in name if c.isprintable() and c not in '"\\/')
    return name[:200] or _("file")


def validate_document(value) -> None:
    """Model-field validator (also for uploads through the Django admin)."""
    _validate(value, DOCUMENTS)


def validate_evidence(value) -> None:
    _validate(value, EVIDENCE)


def _validate(value, allowed: frozenset[str]) -> None:
    file = getattr(value, "file", None)
    if file is None or getattr(value, "_committed", True):
        return  # already stored: checked when it came in
    check_upload(file, allowed=allowed)


@deconstructible
class RandomName:
    """upload_to: `<folder>/<year>/<random>.<extension>`, whatever name the upload had."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower().lstrip(".")
        if extension not in {k.extension for k in KINDS.values()}:
            extension = "bin"
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def download_response(field_file, *, filename: str) -> FileResponse:
    """A stored upload as a download: never shown inline, never sniffed by the browser."""
    extension = os.path.splitext(field_file.name)[1].lower().lstrip(".")
    kind = next((k for k in KINDS.values() if k.extension == extension), None)
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
