"""A download's JSON items are written without the general encoder, to exactly its text."""

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports.opendata import serialise

# Text as the database holds it: anything but NUL (PostgreSQL refuses it).
texts = st.text(st.characters(blacklist_characters="\x00"), max_size=30)
values = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**12, min_value=-(10**12)
    )
    | texts
    | st.lists(texts, max_size=3)
    | st.dictionaries(texts, texts, max_size=3)
)
rows = st.dictionaries(texts, values, max_size=8)


@given(st.lists(rows, max_size=4), st.booleans())
def test_json_items_are_the_text_of_the_general_encoder(items, first):
    expected = "".join(
        ("" if first and index == 0 else ",") + "\n" + serialise.dumps(item)
        for index, item in enumerate(items)
    )
    assert serialise.json_items(items, first=first) == expected


def test_amounts_stay_exact_numbers_and_odd_values_fall_back_to_the_encoder():
    text = serialise.json_items(
        [{"a": Decimal("12345678901234.10"), "b": Decimal("-0.05"), "c": 'é"\n', "d": None}],
        first=True,
    )
    assert text == '\n{"a": 12345678901234.10, "b": -0.05, "c": "é\\"\\n", "d": null}'
    assert json.loads(text, parse_float=Decimal)["a"] == Decimal("12345678901234.10")
    assert serialise.json_items([{1: "x"}], first=True) == '\n{"1": "x"}'
