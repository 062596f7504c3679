"""Check that the nl and en catalogues are complete; with --fill-en, fill English from the source.

The source strings are English, so the English catalogue is the identity; Dutch is translated by
hand in locale/nl/LC_MESSAGES/django.po. Exit 1 lists every missing or fuzzy entry.
With --sources it also extracts the strings of the code and templates (Django's makemessages,
on a copy of the sources, so the catalogues here stay as they are) and lists every string that
has no entry yet: an entry missing from the catalogue shows its English on a Dutch page, and
the catalogue alone cannot tell (the open-data page's licence line did, until 2026-12-05).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("nl", "en")
# What `make makemessages` leaves out, and what a copy of the sources needs not hold.
NOT_SOURCES = (".venv", ".git", ".hypothesis", "var", "media", "node_modules", "__pycache__")
MAKEMESSAGES = ["makemessages", "--locale", "nl", "--locale", "en", "--ignore", ".venv/*"]
MAKEMESSAGES += ["--ignore", "bench/*", "--ignore", "tests/*", "--ignore", "scripts/*"]
MAKEMESSAGES += ["--no-obsolete"]


def catalogue_path(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / "django.po"


def clear_header_fuzzy(lang: str) -> None:
    """makemessages marks a new catalogue's header fuzzy, which makes compilers skip it."""
    path = catalogue_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    if catalog.fuzzy:
        catalog.fuzzy = False
        with path.open("wb") as f:
            write_po(f, catalog, width=100)


def fill_english() -> int:
    path = catalogue_path("en")
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    catalog.fuzzy = False
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        # Always the source string: a fuzzy guess by msgmerge would otherwise stick.
        wanted = tuple(message.id) if message.pluralizable else message.id
        if message.string != wanted:
            message.string = wanted
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=100)
    print(f"en: filled {filled} entries from the source strings")
    return filled


def duplicates(lang: str) -> list[str]:
    """msgids written twice (babel keeps one of them in silence: which translation is shown
    then depends on the order, and an entry appended at the end can undo a reviewed one)."""
    seen: dict[tuple[str, str], int] = {}
    found = []
    lines = catalogue_path(lang).read_text(encoding="utf-8").splitlines()
    context, i = "", 0
    while i < len(lines):
        line = lines[i]
        keyword = line.split(" ", 1)[0]
        if keyword in ("msgctxt", "msgid"):
            text, start = line.split(" ", 1)[1], i + 1
            while i + 1 < len(lines) and lines[i + 1].startswith('"'):
                i += 1
                text += lines[i]
            if keyword == "msgctxt":
                context = text
            else:
                key = (context, text)
                if key in seen and text != '""':
                    found.append(
                        f"{lang}: msgid written twice (lines {seen[key]} and {start}): {text[:60]}"
                    )
                seen.setdefault(key, start)
                context = ""
        i += 1
    return found


def problems(lang: str, locale: Path = LOCALE) -> list[str]:
    with catalogue_path(lang, locale).open("rb") as f:
        catalog = read_po(f, locale=lang)
    found = [f"{lang}: the catalogue header is marked fuzzy"] if catalog.fuzzy else []
    found += duplicates(lang) if locale == LOCALE else []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if message.pluralizable else (message.string,)
        where = ", ".join(f"{file}:{line}" for file, line in message.locations[:2])
        if message.fuzzy:
            found.append(f"{lang}: fuzzy: {message.id!r} ({where})")
        elif not all(strings):
            found.append(f"{lang}: untranslated: {message.id!r} ({where})")
        elif lang == "en" and tuple(strings) != (
            tuple(message.id) if message.pluralizable else (message.id,)
        ):
            # The source strings are English: anything else is a guess that slipped in.
            found.append(f"en: differs from its source string: {message.id!r} ({where})")
    return found


def source_problems() -> list[str]:
    """The catalogues' problems once the strings of the sources are extracted into a copy: a
    string without an entry is then untranslated (or a fuzzy guess)."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        return ["--sources needs GNU gettext (apt-get install gettext)"]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "sources"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCES))
        made = subprocess.run(
            [sys.executable, "manage.py", *MAKEMESSAGES],
            cwd=copy,
            env={**os.environ, "DEBUG": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            return [f"makemessages failed: {made.stderr.strip()[-500:]}"]
        found = []
        for lang in LANGUAGES:
            for problem in problems(lang, copy / "locale"):
                if problem not in found:
                    found.append(f"{problem} [not in the catalogue]")
        return found


def main() -> int:
    if "--fill-en" in sys.argv:
        fill_english()
        clear_header_fuzzy("nl")
    found = [p for lang in LANGUAGES for p in problems(lang)]
    if "--sources" in sys.argv and not found:
        found = source_problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} catalogue entries need work (edit locale/nl/LC_MESSAGES/django.po).")
        return 1
    print("nl and en catalogues complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
