"""Layout faults a first visitor met, on a 390 px phone and a 1024 px screen: nothing wider than
the screen on a proposal page, no clipped label in the radar chart, a favicon on every page."""

import pytest

from governance.models import Proposal
from intake.models import Intake

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [390, 1024]


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def cut_off_elements(page) -> list[str]:
    """Table cells whose right edge lies beyond the window."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main th, main td')]
            .filter(cell => cell.getBoundingClientRect().right > window.innerWidth + 0.5
                && !cell.closest('.bk-table-scroll'))
            .map(cell => cell.textContent.trim())"""
    )


def clipped_svg_texts(page, selector: str) -> list[str]:
    """Texts of an SVG that reach outside the drawn picture (a label cut at the edge)."""
    return page.evaluate(
        """(selector) => {
            const svg = document.querySelector(selector);
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].filter(text => {
                const b = text.getBoundingClientRect();
                return b.left < box.left - 0.5 || b.right > box.right + 0.5
                    || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5;
            }).map(text => text.textContent);
        }""",
        selector,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_proposal_pages_fit_the_screen(new_session, demo_data, width):
    session = new_session()
    page = session.page
    page.set_viewport_size({"width": width, "height": 800})
    proposals = list(Proposal.objects.filter(status__in=Proposal.PUBLIC).order_by("pk"))
    assert any(p.is_decided and not p.is_poll for p in proposals)  # one with a roll call
    for proposal in proposals:
        page.goto(f"/voorstellen/{proposal.pk}/")
        assert page_overflow(page) == 0, f"{proposal} is wider than {width} px"
        assert cut_off_elements(page) == [], f"{proposal}: cells cut off at {width} px"
    for path in ("/", "/voorstellen/", "/voorstellen/stemmen/", "/sroi/", "/rapporten/"):
        page.goto(path)
        assert page_overflow(page) == 0, f"{path} is wider than {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_radar_chart_labels_are_not_clipped(new_session, demo_data, width):
    intake = Intake.objects.filter(is_published=True, status=Intake.Status.CONFIRMED).first()
    assert intake is not None
    page = new_session().page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/intake/profiel/{intake.pk}/")
    assert clipped_svg_texts(page, "svg.radar-chart") == []
    assert page_overflow(page) == 0


def test_every_page_has_a_favicon(new_session, demo_data):
    page = new_session().page
    for path in ("/", "/voorstellen/", "/sroi/"):
        page.goto(path)
        href = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href")
        assert href, f"{path} links no icon"
        assert page.request.get(href).status == 200
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/")
