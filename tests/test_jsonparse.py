"""The strict JSON parser: repeated keys and non-JSON numbers are errors with a path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.jsonparse import JsonSyntaxError, loads

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_reads_whatever_the_standard_library_writes(value: Any) -> None:
    assert loads(json.dumps(value)) == value


def test_rejects_a_repeated_top_level_key() -> None:
    with pytest.raises(JsonSyntaxError, match="duplicate key 'name'"):
        loads('{"name": "Doctorate of Evil", "id": 1, "name": "Foundations"}')


def test_names_the_path_of_a_repeated_nested_key() -> None:
    text = '{"credentialSubject": {"achievement": [{"name": "a", "name": "b"}]}}'
    with pytest.raises(JsonSyntaxError, match=r"'credentialSubject\.achievement\[0\]\.name'"):
        loads(text)


def test_names_every_repeated_key() -> None:
    with pytest.raises(JsonSyntaxError, match=r"'a', 'b\.c'"):
        loads('{"a": 1, "a": 2, "b": {"c": 1, "c": 1}}')


@pytest.mark.parametrize("text", ["NaN", '{"x": Infinity}', "[-Infinity]"])
def test_rejects_numbers_json_does_not_have(text: str) -> None:
    with pytest.raises(JsonSyntaxError, match="expected a finite number"):
        loads(text)


def test_reports_malformed_text_as_not_valid_json() -> None:
    with pytest.raises(JsonSyntaxError, match="not valid JSON"):
        loads('{"a": ')


def test_reads_bytes() -> None:
    assert loads(b'{"a": [1, 2]}') == {"a": [1, 2]}
