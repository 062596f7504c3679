"""The annex of an annual report: the complete line-by-line listing, as the year's open data.

The PDF tells the story and the totals; every single line is in the annex: the transactions,
allocations and decisions of the year as CSV and JSON (the open-data formats of /open-data/),
written once when the report's content is frozen and stored next to the PDF. Their SHA-256 is
in the snapshot and printed in the PDF, so a reader can check that the files are the ones the
report was made with. Before anything is published, the transactions written must add up, per
fund, to the report's opening, money in, money out and closing balance, and per category of
money (`categorie`: from contracts, from the municipality, other income, returned, paid out) to
the report's own split; if they do not, the report is not made. Those sums are taken from the rows while they are written (the very values
that went into the files, once each), so the files are not read back and parsed again;
`annex_sums` adds up a stored file the same way, for tests and for anyone who checks.
"""

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from django.core.files import File
from django.core.files.storage import default_storage

from . import opendata, snapshot
from .money import INFLOW_KINDS, OUTFLOW_KINDS, ReportDoesNotReconcile

ZERO = Decimal("0.00")
FORMATS = ("csv", "json")
# Written to a temporary file in pieces: the annex of a big year is never in memory at once.
SPOOL_BYTES = 4 * 1024 * 1024


def _sources(*, year: int, funds: list[int] | None, until: date) -> dict[str, Callable]:
    period = opendata.Period(year)
    return {
        "transacties": lambda: opendata.stream_transaction_rows(period, funds=funds, until=until),
        "toekenningen": lambda: opendata.stream_allocation_rows(period, funds=funds),
        "besluiten": lambda: opendata.stream_decision_rows(period),
    }


class _Output:
    """A file being written to a temporary file in pieces, with its SHA-256 and size."""

    def __init__(self):
        self.handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(data)

    def store(self, path: str) -> dict:
        self.handle.seek(0)
        name = default_storage.save(path, File(self.handle))
        self.handle.close()
        return {"path": name, "sha256": self.digest.hexdigest(), "size": self.size}


def _write(name: str, rows: Iterator[dict], *, year: int, path: str) -> list[dict]:
    """The dataset's rows as CSV and as JSON, both written in one pass over the rows."""
    dataset = opendata.DATASETS[name]
    columns = dataset.column_names
    meta = opendata.dataset_meta(dataset, opendata.Period(year), uri="", page="")
    as_csv, as_json = _Output(), _Output()
    count = 0
    as_csv.write(opendata.csv_text(columns, [columns]))
    as_json.write(opendata.json_head(meta, "rows"))
    for piece in _pieces(rows):
        as_csv.write(opendata.csv_text(columns, [[row[c] for c in columns] for row in piece]))
        as_json.write(opendata.json_items(piece, first=count == 0))
        count += len(piece)
    as_json.write(opendata.JSON_TAIL)
    return [
        {"name": name, "format": fmt, **output.store(f"{path}.{fmt}"), "rows": count}
        for fmt, output in (("csv", as_csv), ("json", as_json))
    ]


def _pieces(rows: Iterator[dict]) -> Iterator[list[dict]]:
    piece: list[dict] = []
    for row in rows:
        piece.append(row)
        if len(piece) == opendata.ROWS_PER_PIECE:
            yield piece
            piece = []
    if piece:
        yield piece


def write_annex(*, report, content: snapshot.Content, funds: list[int] | None) -> snapshot.Annex:
    """Write the annex files of a report whose content was just read (in the same database
    snapshot) and check them against that content; returns what goes into the snapshot."""
    year = content.year
    until = content.as_of
    scope = report.area.slug if report.area_id else "gemeente"
    files = []
    sums = _Sums()
    for name, rows in _sources(year=year, funds=funds, until=until).items():
        path = f"rapporten/{year}/bijlage/{name}-{year}-{scope}-v{report.version}"
        if name == "transacties":
            rows = sums.counting(rows)
        files += _write(name, rows(), year=year, path=path)
    return snapshot.decode(
        snapshot.Annex, {"files": files, "reconciliation": reconcile(content, sums.funds)}
    )


class _Sums:
    """Per fund slug: the transaction rows, their ids, money in, money out and the change of the
    fund's total, added up row by row."""

    kinds_in = frozenset(str(kind) for kind in INFLOW_KINDS)
    kinds_out = frozenset(str(kind) for kind in OUTFLOW_KINDS)

    def __init__(self):
        self.funds: dict[str, dict] = {}

    def add(self, row: dict) -> None:
        fund = self.funds.get(row["fonds"])
        if fund is None:
            fund = self.funds[row["fonds"]] = _empty_sums()
        change = Decimal(row["wijziging_fondstotaal"])
        fund["rows"] += 1
        fund["ids"].add(int(row["id"]))
        fund["change"] += change
        if row["telt_als"] in self.kinds_in:
            fund["in"] += change
        elif row["telt_als"] in self.kinds_out:
            fund["out"] -= change
        # An annex frozen before the column has no category: its lines count in none.
        name = row.get("categorie")
        if name in fund["categories"]:
            fund["categories"][name] += -change if name in OUT_CATEGORIES else change

    def counting(self, rows: Callable[[], Iterator[dict]]) -> Callable[[], Iterator[dict]]:
        """`rows`, each added up on its way to the files."""

        def counted() -> Iterator[dict]:
            for row in rows():
                self.add(row)
                yield row

        return counted


# The categories of money (`categorie` of the transactions) next to the report's figure of
# each: money in per source (`snapshot.InBySource`) and money out (`snapshot.OutByKind`).
CATEGORIES = {
    "van_contracten": lambda fund: fund.in_by_source.contracts,
    "van_gemeente": lambda fund: fund.in_by_source.municipality,
    "overige_inkomsten": lambda fund: fund.in_by_source.other,
    "teruggestort": lambda fund: fund.in_by_source.returned,
    "uitbetaald": lambda fund: fund.out_by_kind.paid_out,
}
OUT_CATEGORIES = frozenset({"uitbetaald"})


def _empty_sums() -> dict:
    return {
        "rows": 0,
        "ids": set(),
        "in": ZERO,
        "out": ZERO,
        "change": ZERO,
        "categories": dict.fromkeys(CATEGORIES, ZERO),
    }


def _by_category(fund: snapshot.Fund, found: dict) -> list[dict]:
    """Per category of money: the report's figure and the annex's sum (money out said positive)."""
    if fund.in_by_source is None or fund.out_by_kind is None:  # pragma: no cover - always built
        return []
    return [
        {
            "category": name,
            "report": str(figure(fund)),
            "annex": str(found["categories"][name]),
            "matches": figure(fund) == found["categories"][name],
        }
        for name, figure in CATEGORIES.items()
    ]


def annex_sums(path: str) -> dict[str, dict]:
    """Per fund slug, from a stored transactions CSV: its rows, money in, money out, the change
    of the fund's total and the money per category, added up from the file as it was published
    (a file frozen before the `categorie` column has zero in every category)."""
    sums = _Sums()
    with default_storage.open(path, "rb") as handle:
        for row in csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline="")):
            sums.add(row)
    return sums.funds


def reconcile(content: snapshot.Content, sums: dict[str, dict]) -> list[dict]:
    """Per fund: the annex's rows and sums (`annex_sums`, or those taken while writing) next to
    the report's figures; raises when they differ (a line missing, counted twice, or an amount
    that is not the ledger's)."""
    sums = dict(sums)
    rows = []
    for fund in content.funds:
        found = sums.pop(fund.slug, None) or _empty_sums()
        opening, closing = fund.opening, fund.closing
        total_in, total_out = fund.total_in, fund.total_out
        row = {
            "fund": fund.name,
            "slug": fund.slug,
            "lines": fund.transactions,
            "annex_rows": found["rows"],
            "total_in": str(total_in),
            "annex_in": str(found["in"]),
            "total_out": str(total_out),
            "annex_out": str(found["out"]),
            "change": str(found["change"]),
            "opening": str(opening),
            "closing": str(closing),
            "by_category": _by_category(fund, found),
        }
        row["matches"] = (
            found["rows"] == len(found["ids"]) == fund.transactions
            and found["in"] == total_in
            and found["out"] == total_out
            and opening + found["change"] == closing
            and all(check["matches"] for check in row["by_category"])
        )
        if not row["matches"]:
            raise ReportDoesNotReconcile(f"the annex does not add up for {fund.name}: {row}")
        rows.append(row)
    if sums:
        raise ReportDoesNotReconcile(f"the annex has lines of funds not in the report: {set(sums)}")
    return rows
