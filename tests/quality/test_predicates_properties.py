"""Properties of the predicate parser and of bounds as the engine evaluates them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.quality.codegen import build
from credstack.quality.model import Outcome, Rule, Severity
from credstack.quality.predicates import CheckError, Number, parse_check
from quality.conftest import load_example

RECORD = load_example()
limits = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


def _rule(check: object) -> Rule:
    assert isinstance(check, Number)
    return Rule("r", "t", ("learner_effort.total_hours",), Severity.REQUIRED, check, "m", "c")


@settings(max_examples=150, deadline=None)
@given(low=limits, high=limits, hours=st.floats(min_value=0.5, max_value=600))
def test_number_range_is_accepted_iff_ordered_and_met_iff_inside(
    low: int | None, high: int | None, hours: float
) -> None:
    data: dict[str, object] = {"element": "learner_effort.total_hours"}
    if low is not None:
        data["min"] = low
    if high is not None:
        data["max"] = high
    try:
        check = parse_check({"number": data})
    except CheckError as error:
        assert (low is None and high is None) or (low is not None and high is not None
                                                  and low > high)
        assert "bad range" in str(error)
        return
    assert low is None or high is None or low <= high
    assert RECORD.learner_effort is not None
    RECORD.learner_effort.total_hours = hours
    evaluate, _ = build((_rule(check),))
    inside = (low is None or hours >= low) and (high is None or hours <= high)
    assert evaluate(RECORD) == ((Outcome.PASS if inside else Outcome.FAIL),)


@given(path=st.from_regex(r"[a-z_]{1,12}(\.[a-z_]{1,12}){0,2}", fullmatch=True))
def test_parser_accepts_a_path_only_if_it_names_a_field(path: str) -> None:
    from credstack.quality.elements import UnknownElement, resolve

    try:
        resolve(path)
        known = True
    except UnknownElement:
        known = False
    try:
        parse_check({"present": path})
        parsed = True
    except CheckError as error:
        parsed = False
        assert "unknown element" in str(error)
    assert parsed == known
