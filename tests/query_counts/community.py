"""Query-count rows for the community pages (see tests/test_query_counts.py)."""

from tests.query_counts.base import Row

PAGES: dict[str, Row] = {}
