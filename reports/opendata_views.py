"""The open-data page and its downloads: public, for everyone, anonymous included.

A download reads in a fixed number of queries. The big datasets (transactions, allocations,
decisions) stream: their rows are read as plain values in chunks while the response is written,
so memory stays flat whatever a year holds; a bad request is refused before any byte is sent.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.addresses import public_url
from sroi import disclosure

from . import opendata


def _period(request, *, all_by_default: bool) -> opendata.Period | None:
    try:
        return opendata.parse_period(request.GET.get("jaar"), all_by_default=all_by_default)
    except ValueError:
        return None


def _page(request, anchor: str) -> str:
    """The dataset on the open-data page, on the site's public address (SITE_URL): a saved
    description or download points there, not to the host it happened to be fetched from."""
    return public_url(reverse("opendata:index")) + f"#{anchor}"


def _headers(request, filename: str, *, description: str | None = None) -> dict:
    links = [f'<{opendata.LICENSE_URL}>; rel="license"']
    if description:
        links.append(f'<{request.build_absolute_uri(description)}>; rel="describedby"')
    return {
        "Content-Disposition": f'inline; filename="{filename}"',
        "Link": ", ".join(links),
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }


def index(request):
    """Every dataset with its columns, years, formats and licence."""
    years = opendata.years_available()
    datasets = [
        {
            "dataset": dataset,
            "years": years.get(dataset.name, []),
            "default": _("all years")
            if dataset.all_years_by_default
            else _("last year (%(year)s)")
            % {"year": opendata.parse_period(None, all_by_default=False).year},
        }
        for dataset in opendata.DATASETS.values()
    ]
    standards = [
        {"standard": standard, "years": years.get(standard.source, [])}
        for standard in opendata.STANDARDS.values()
    ]
    return render(
        request,
        "reports/open_data.html",
        {
            "datasets": datasets,
            "standards": standards,
            "license_name": opendata.LICENSE_NAME,
            "license_url": opendata.LICENSE_URL,
            "all_years": opendata.ALL_YEARS,
            "min_count": disclosure.min_count(),
        },
    )


def download_csv(request, name: str):
    dataset = opendata.DATASETS.get(name)
    if dataset is None:
        raise Http404
    period = _period(request, all_by_default=dataset.all_years_by_default)
    if period is None:
        return HttpResponseBadRequest(_("Give a year as ?jaar=YYYY, or ?jaar=alle."))
    rows = dataset.build(period)
    return StreamingHttpResponse(
        opendata.csv_lines(dataset.column_names, rows),
        content_type="text/csv; charset=utf-8; header=present",
        headers=_headers(
            request,
            f"{name}-{period.label}.csv",
            description=reverse("opendata:description", args=[name]),
        ),
    )


def download_json(request, name: str):
    dataset = opendata.DATASETS.get(name)
    standard = opendata.STANDARDS.get(name)
    if dataset is None and standard is None:
        raise Http404
    all_by_default = dataset.all_years_by_default if dataset else False
    period = _period(request, all_by_default=all_by_default)
    if period is None:
        return HttpResponseBadRequest(_("Give a year as ?jaar=YYYY, or ?jaar=alle."))
    uri = request.build_absolute_uri()
    page = _page(request, name)
    if dataset is not None:
        meta = opendata.dataset_meta(dataset, period, uri=uri, page=page)
        key, items = "rows", dataset.build(period)
    else:
        meta, key, items = standard.build(period, uri=uri, page=page)
        if not items:
            # Both standards require at least one grant or release in a package.
            raise Http404(_("Nothing to publish for this year."))
    return StreamingHttpResponse(
        opendata.json_chunks(meta, key, items),
        content_type="application/json; charset=utf-8",
        headers=_headers(request, f"{name}-{period.label}.json"),
    )


def description(request, name: str):
    """The meaning of a dataset's columns, its licence and years, as plain text."""
    dataset = opendata.DATASETS.get(name)
    if dataset is None:
        raise Http404
    years = opendata.years_available().get(name, [])
    return HttpResponse(
        opendata.description_text(dataset, years=years, page=_page(request, name)),
        content_type="text/plain; charset=utf-8",
        headers=_headers(request, f"{name}.txt"),
    )
