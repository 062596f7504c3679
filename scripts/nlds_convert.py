"""Convert templates from Bootstrap classes to NL Design System (Utrecht) components.

    python scripts/nlds_convert.py templates/budgeting/*.html     # rewrite in place
    python scripts/nlds_convert.py --check templates               # list what is left, exit 1

The mapping is the table in docs/frontend.md. Components come from @utrecht/component-library-css;
layout helpers that NL Design System leaves to the site (columns, spacing, cards) are our own
`bk-` classes in static/css/burgerkracht.css. Run it, then look at the page: it converts classes,
not judgement (a button that should be a link stays a button).
"""

import argparse
import re
import sys
from pathlib import Path

# Tags whose own stylesheet is not the site's (PDFs, letters, print sheets): left alone.
SKIP = ("governance/print/", "reports/print.html", "notifications/letters.html", "/nlds/")

# Bootstrap class -> replacement (empty: dropped, the component or layout does it already).
SIMPLE = {
    "row": "bk-columns",
    "row-cols-1": "",
    "row-cols-md-2": "",
    "g-2": "",
    "g-3": "",
    "g-4": "",
    "h-100": "",
    "container": "bk-container",
    "mb-0": "bk-mb-0",
    "m-0": "bk-mb-0",
    "mb-1": "bk-mb-s",
    "mb-2": "bk-mb-s",
    "mb-3": "bk-mb-m",
    "mb-4": "bk-mb-l",
    "mb-5": "bk-mb-l",
    "mt-1": "bk-mt-s",
    "mt-2": "bk-mt-s",
    "mt-3": "bk-mt-m",
    "mt-4": "bk-mt-l",
    "mt-5": "bk-mt-l",
    "my-2": "bk-my-s",
    "my-3": "bk-my-m",
    "my-4": "bk-my-l",
    "my-xl-0": "",
    "py-2": "",
    "py-4": "",
    "p-0": "",
    "p-3": "bk-box",
    "px-1": "",
    "ps-3": "bk-indent",
    "ms-2": "bk-ms-s",
    "me-1": "bk-me-xs",
    "me-3": "bk-me-s",
    "me-auto": "",
    "d-flex": "bk-cluster",
    "d-block": "bk-block",
    "d-xl-flex": "bk-cluster",
    "flex-wrap": "",
    "gap-1": "",
    "gap-2": "",
    "gap-3": "",
    "align-items-center": "",
    "align-items-baseline": "",
    "align-items-start": "bk-cluster--start",
    "align-items-end": "bk-cluster--end",
    "justify-content-between": "bk-cluster--spread",
    "float-none": "",
    "align-middle": "",
    "w-auto": "",
    "small": "bk-small",
    "text-body-secondary": "bk-muted",
    "text-danger": "bk-text-error",
    "text-success": "bk-text-ok",
    "text-dark": "",
    "text-break": "bk-break",
    "text-nowrap": "bk-nowrap",
    "font-monospace": "bk-mono",
    "fw-bold": "bk-strong",
    "fw-semibold": "bk-strong",
    "fw-normal": "bk-normal",
    "fs-4": "bk-large",
    "fs-5": "bk-large",
    "fs-6": "bk-normal-size",
    "display-6": "bk-display",
    "lead": "utrecht-paragraph utrecht-paragraph--lead",
    "list-unstyled": "bk-plain-list",
    "visually-hidden": "bk-visually-hidden",
    "visually-hidden-focusable": "utrecht-skip-link utrecht-skip-link--visible-on-focus",
    "d-print-none": "no-print",
    "h3": "utrecht-heading-3",
    "h4": "utrecht-heading-4",
    "h5": "utrecht-heading-5",
    "h6": "utrecht-heading-6",
    "table": "utrecht-table utrecht-table--html-table",
    "table-sm": "bk-table--compact",
    "table-responsive": "utrecht-table-container bk-table-scroll",
    "alert": "utrecht-alert",
    "alert-info": "utrecht-alert--info",
    "alert-secondary": "utrecht-alert--info",
    "alert-warning": "utrecht-alert--warning",
    "alert-danger": "utrecht-alert--error",
    "alert-success": "utrecht-alert--ok",
    "alert-link": "utrecht-link utrecht-link--html-a",
    "badge": "utrecht-badge-status",
    "rounded-pill": "",
    "text-bg-primary": "bk-badge--info",
    "text-bg-secondary": "bk-badge--neutral",
    "text-bg-light": "bk-badge--neutral",
    "text-bg-success": "bk-badge--ok",
    "bg-warning": "bk-badge--warning",
    "text-bg-warning": "bk-badge--warning",
    "text-bg-danger": "bk-badge--error",
    "text-bg-info": "bk-badge--info",
    "text-bg-dark": "bk-badge--neutral",
    "bg-danger": "bk-badge--error",
    "bg-success": "bk-badge--ok",
    "bg-info": "bk-badge--info",
    "progress": "bk-progress",
    "progress-bar": "bk-progress__bar",
    "bg-light": "",
    "bg-white": "",
    "shadow": "",
    "rounded": "",
    "border": "bk-border",
    "border-start": "bk-border-start",
    "border-top": "bk-border-top",
    "border-bottom": "bk-border-bottom",
    "border-info": "",
    "breadcrumb": "utrecht-breadcrumb-nav__list utrecht-breadcrumb-nav__list--html-ol",
    "breadcrumb-item": "utrecht-breadcrumb-nav__item",
    "active": "",
    "card": "bk-card",
    "card-body": "bk-card__body",
    "card-title": "bk-card__title",
    "card-text": "",
    "figure": "utrecht-figure",
    "form-label": "utrecht-form-label",
    "form-text": "utrecht-form-field-description",
    "invalid-feedback": "utrecht-form-field-error-message",
    "form-check": "utrecht-form-field utrecht-form-field--checkbox",
    "form-check-inline": "bk-inline",
    "form-check-label": "utrecht-form-label utrecht-form-label--checkbox",
    "input-group": "bk-cluster",
    "form-select-sm": "",
    "spinner-border": "bk-spinner",
    "spinner-border-sm": "",
    "sticky-bottom": "bk-sticky-bottom",
    "position-fixed": "",
    "bottom-0": "",
    "start-50": "",
    "translate-middle-x": "",
    "z-3": "",
    "pagination": "utrecht-pagination",
    "page-item": "",
    "page-link": "utrecht-pagination__page-link",
    "is-invalid": "utrecht-textbox--invalid",
}
COLUMN = re.compile(r"^col(-(sm|md|lg|xl))?(-\d+)?$")
BUTTONS = {
    "btn-primary": "primary-action",
    "btn-success": "primary-action",
    "btn-outline-primary": "secondary-action",
    "btn-outline-secondary": "secondary-action",
    "btn-warning": "secondary-action",
    "btn-link": "subtle",
    "btn-danger": "primary-action danger",
    "btn-outline-danger": "secondary-action danger",
}
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:[^<>{]|\{%.*?%\}|\{\{.*?\}\}|\{)*)>", re.S)
CLASS = re.compile(r'\bclass="((?:[^"{]|\{%.*?%\}|\{\{.*?\}\}|\{)*)"', re.S)
TEMPLATE_TAG = re.compile(r"(\{%.*?%\}|\{\{.*?\}\})", re.S)
WORD = re.compile(r"(?<![\w'-])([a-z][a-z0-9-]*)(?![\w'-])")
BOOTSTRAP_WORDS = set(SIMPLE) | set(BUTTONS) | {"btn", "btn-sm", "form-control", "form-select"}
BOOTSTRAP_WORDS |= {"form-check-input", "navbar", "nav-link", "nav-item", "collapse"}


def is_bootstrap(word: str) -> bool:
    return word in BOOTSTRAP_WORDS or bool(COLUMN.match(word))


def map_word(word: str, tag: str, attrs: str) -> str:
    if word in BUTTONS:
        kinds = BUTTONS[word].split()
        if tag == "a":
            return f"utrecht-button-link--{kinds[0]}" + (
                " utrecht-button--danger" if len(kinds) > 1 else ""
            )
        return " ".join(f"utrecht-button--{kind}" for kind in kinds)
    if word == "btn":
        return "utrecht-button-link utrecht-button-link--html-a" if tag == "a" else "utrecht-button"
    if word == "btn-sm":
        return "bk-button--small"
    if word == "row" and tag == "dl":
        return "bk-data-list"
    if word == "form-control":
        if tag == "textarea":
            return "utrecht-textarea utrecht-textarea--html-textarea"
        return "utrecht-textbox utrecht-textbox--html-input"
    if word == "form-select":
        return "utrecht-select utrecht-select--html-select"
    if word == "form-check-input":
        if 'type="radio"' in attrs:
            return "utrecht-radio-button utrecht-radio-button--html-input"
        return "utrecht-checkbox utrecht-checkbox--html-input"
    if word == "text-end":
        if tag in ("td", "th"):
            return "utrecht-table__cell--numeric-data"
        return "bk-text-end"
    if word in SIMPLE:
        return SIMPLE[word]
    if COLUMN.match(word):
        return ""
    return word


def map_classes(value: str, tag: str, attrs: str) -> str:
    parts = TEMPLATE_TAG.split(value)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a template tag: kept as it is
            out.append(part)
            continue
        out.append(WORD.sub(lambda m: map_word(m.group(1), tag, attrs), part))
    text = "".join(out)
    # Tidy the spaces that dropped classes leave behind, outside template tags only.
    pieces = TEMPLATE_TAG.split(text)
    pieces = [p if i % 2 else re.sub(r" {2,}", " ", p) for i, p in enumerate(pieces)]
    text = "".join(pieces)
    return text.strip() if not TEMPLATE_TAG.search(text) else text.lstrip()


CELL_CLASSES = {
    "th": "utrecht-table__header-cell",
    "td": "utrecht-table__cell",
    "tr": "utrecht-table__row",
    "thead": "utrecht-table__header",
    "tbody": "utrecht-table__body",
    "tfoot": "utrecht-table__footer",
    "caption": "utrecht-table__caption",
}
HEADINGS = {f"h{n}" for n in range(1, 7)}


def add_class(attrs: str, extra: str) -> str:
    match = CLASS.search(attrs)
    if match is None:
        return f' class="{extra}"' + attrs
    if extra.split()[0] in match.group(1).split():
        return attrs
    start = match.start(1)
    return attrs[:start] + extra + " " + attrs[start:]


def convert_tag(match: re.Match) -> str:
    tag, attrs = match.group(1), match.group(2)
    lower = tag.lower()
    had_class = CLASS.search(attrs)
    if had_class:
        new = map_classes(had_class.group(1), lower, attrs)
        attrs = attrs[: had_class.start(1)] + new + attrs[had_class.end(1) :]
        if new.strip() == "":
            attrs = attrs[: had_class.start()].rstrip() + attrs[had_class.start() + 8 :]
    if lower in CELL_CLASSES:
        attrs = add_class(attrs, CELL_CLASSES[lower])
    elif lower in HEADINGS:
        current = CLASS.search(attrs)
        if not (current and "utrecht-heading-" in current.group(1)):
            attrs = add_class(attrs, f"utrecht-heading-{lower[1]}")
    elif lower == "a" and not CLASS.search(attrs) and "href=" in attrs:
        attrs = add_class(attrs, "utrecht-link utrecht-link--html-a")
    elif lower == "nav" and "'Breadcrumb'" in attrs:
        attrs = add_class(attrs, "utrecht-breadcrumb-nav")
    return f"<{tag}{attrs}>"


def convert(text: str) -> str:
    # A link inside a breadcrumb item is the breadcrumb's link, not a plain link.
    text = re.sub(
        r'(<li class="breadcrumb-item[^"]*"[^>]*>)<a ',
        r'\1<a class="utrecht-breadcrumb-nav__link utrecht-link utrecht-link--html-a" ',
        text,
    )
    text = TAG.sub(convert_tag, text)
    # A table that scrolls sideways must be reachable with the keyboard (axe: scrollable-region-
    # focusable).
    return re.sub(
        r'class="([^"]*bk-table-scroll[^"]*)"(?! tabindex)', r'class="\1" tabindex="0"', text
    )


def leftovers(text: str) -> list[str]:
    found = []
    for match in CLASS.finditer(text):
        for i, part in enumerate(TEMPLATE_TAG.split(match.group(1))):
            if i % 2:
                found += [w for w in re.findall(r"'([a-z][a-z0-9-]*)'", part) if is_bootstrap(w)]
                continue
            found += [w for w in WORD.findall(part) if is_bootstrap(w)]
    return found


def files(paths: list[str]) -> list[Path]:
    result = []
    for name in paths:
        path = Path(name)
        result += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    return [p for p in result if not any(s in p.as_posix() for s in SKIP)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--check", action="store_true", help="only list Bootstrap classes left")
    args = parser.parse_args()
    status = 0
    for path in files(args.paths):
        text = path.read_text()
        if args.check:
            left = leftovers(text)
            if left:
                print(f"{path}: {' '.join(sorted(set(left)))}")
                status = 1
            continue
        new = convert(text)
        if new != text:
            path.write_text(new)
            print(f"converted {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
