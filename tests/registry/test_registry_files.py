"""Reading record files: every mistake named by file, field path and expectation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.files import (
    dump_record,
    expand_paths,
    load_record,
    load_records,
    parse_text,
    validate_document,
)

Document = dict[str, Any]
WriteFile = Callable[[str, str], Path]


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        load_records(path)
    assert caught.value.problems
    return caught.value.problems


def _yaml(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def _at(problems: list[Problem], location: str) -> Problem:
    found = [problem for problem in problems if problem.location == location]
    assert found, f"no problem at {location!r} in {[str(p) for p in problems]}"
    return found[0]


def test_loads_the_example_record(example_path: Path) -> None:
    record = load_record(example_path)
    assert record.id == "rru-caf-foundations-climate-adaptation"


def test_malformed_yaml_names_line_and_column(write_file: WriteFile) -> None:
    path = write_file("bad.yaml", "id: x\ntitle: [unclosed\nprice: 3\n")
    (problem,) = _problems(path)
    assert problem.source == str(path)
    assert problem.location.startswith("line ")
    assert ", column " in problem.location
    assert "malformed YAML" in problem.message


def test_malformed_yaml_points_at_the_bad_line(write_file: WriteFile) -> None:
    path = write_file("bad.yaml", "id: x\ntitle: ok\n  indented: wrong\n")
    (problem,) = _problems(path)
    assert problem.location.startswith("line 3,")


def test_malformed_json_names_line_and_column(write_file: WriteFile) -> None:
    path = write_file("bad.json", '{\n  "id": "x",\n  "title": ,\n}\n')
    (problem,) = _problems(path)
    assert problem.location == "line 3, column 12"
    assert "malformed JSON" in problem.message


def test_duplicate_key_in_a_yaml_mapping_is_an_error(
    write_file: WriteFile, example_path: Path
) -> None:
    text = example_path.read_text(encoding="utf-8") + "title: Second title\n"
    (problem,) = _problems(write_file("twice.yaml", text))
    assert "key 'title' appears twice" in problem.message
    assert problem.location.startswith(f"line {len(text.splitlines())},")


def test_duplicate_key_in_a_json_object_is_an_error(
    write_file: WriteFile, example_document: Document
) -> None:
    text = json.dumps(example_document, default=str)[:-1] + ', "title": "Second title"}'
    (problem,) = _problems(write_file("twice.json", text))
    assert "title" in problem.message


def test_yaml_merge_key_shares_a_provider_between_records(
    write_file: WriteFile, example_document: Document
) -> None:
    # The second record is the first (an anchored mapping) merged in, with its own id.
    first = _yaml([dict(example_document, id="first")]).replace(
        "- id: first", "- &first\n  id: first", 1
    )
    text = first + "- <<: *first\n  id: second\n"
    assert [record.id for record in load_records(write_file("merge.yaml", text))] == [
        "first",
        "second",
    ]


def test_unknown_key_suggests_the_closest_key(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["titel"] = example_document.pop("title")
    problem = _at(_problems(write_file("typo.yaml", _yaml(example_document))), "titel")
    assert "unknown key 'titel'; did you mean 'title'?" in problem.message


def test_nested_unknown_key_suggests_the_closest_key(
    write_file: WriteFile, example_document: Document
) -> None:
    effort = example_document["learner_effort"]
    effort["total_hour"] = effort.pop("total_hours")
    problems = _problems(write_file("typo.yaml", _yaml(example_document)))
    problem = _at(problems, "learner_effort.total_hour")
    assert "did you mean 'total_hours'?" in problem.message


def test_unknown_key_inside_a_list_item_suggests_the_closest_key(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["learning_outcomes"][1]["statment"] = "typo"
    problems = _problems(write_file("typo.yaml", _yaml(example_document)))
    assert "did you mean 'statement'?" in _at(problems, "learning_outcomes[1].statment").message


def test_unknown_key_lists_the_valid_keys(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["price"]["zzz"] = 1
    problem = _at(_problems(write_file("typo.yaml", _yaml(example_document))), "price.zzz")
    assert "expected one of: amount, currency, tax_included" in problem.message


def test_unknown_key_with_brackets_is_reported(example_document: Document) -> None:
    example_document["title[en]"] = "Climate"
    with pytest.raises(InvalidInput) as caught:
        validate_document(example_document, source="record.yaml")
    assert any("title[en]" in str(problem) for problem in caught.value.problems)


def test_wrong_type_names_the_field_and_the_value(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["learner_effort"]["face_to_face_hours"] = "six"
    problems = _problems(write_file("type.yaml", _yaml(example_document)))
    problem = _at(problems, "learner_effort.face_to_face_hours")
    assert "valid number" in problem.message
    assert "'six'" in problem.message


def test_negative_hours_are_rejected(write_file: WriteFile, example_document: Document) -> None:
    example_document["learner_effort"]["asynchronous_hours"] = -8
    problems = _problems(write_file("neg.yaml", _yaml(example_document)))
    assert (
        "greater than or equal to 0" in _at(problems, "learner_effort.asynchronous_hours").message
    )


def test_inconsistent_hours_are_rejected(write_file: WriteFile, example_document: Document) -> None:
    example_document["learner_effort"]["total_hours"] = 40
    problem = _at(
        _problems(write_file("sum.yaml", _yaml(example_document))), "learner_effort.total_hours"
    )
    assert problem.message == "40 does not equal the sum of the five components (28)"


def test_unknown_currency_is_rejected(write_file: WriteFile, example_document: Document) -> None:
    example_document["price"]["currency"] = "CDN"
    problem = _at(_problems(write_file("cur.yaml", _yaml(example_document))), "price.currency")
    assert "'CDN' is not an ISO 4217 currency code" in problem.message


def test_unknown_language_is_rejected(write_file: WriteFile, example_document: Document) -> None:
    example_document["language"] = ["qq-CA"]
    problems = _problems(write_file("lang.yaml", _yaml(example_document)))
    assert any("'qq' is not an ISO 639 language code" in p.message for p in problems)


def test_missing_required_element_is_named(
    write_file: WriteFile, example_document: Document
) -> None:
    del example_document["description"]
    problem = _at(_problems(write_file("missing.yaml", _yaml(example_document))), "description")
    assert problem.message == "required field is missing"


def test_every_problem_of_a_file_is_listed_at_once(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["titel"] = example_document.pop("title")
    example_document["price"]["currency"] = "CDN"
    example_document["learner_effort"]["asynchronous_hours"] = -8
    example_document["assessment"]["methods"] = ["telepathy"]
    problems = _problems(write_file("many.yaml", _yaml(example_document)))
    locations = {problem.location for problem in problems}
    assert {
        "title",
        "titel",
        "price.currency",
        "learner_effort.asynchronous_hours",
        "assessment.methods[0]",
    } <= locations


def test_every_problem_names_the_file(write_file: WriteFile, example_document: Document) -> None:
    example_document["price"]["currency"] = "CDN"
    example_document["title"] = ""
    path = write_file("two.yaml", _yaml(example_document))
    problems = _problems(path)
    assert len(problems) == 2
    assert all(problem.source == str(path) for problem in problems)


def test_message_reads_file_then_field_then_expectation(
    write_file: WriteFile, example_document: Document
) -> None:
    example_document["title"] = ""
    path = write_file("empty.yaml", _yaml(example_document))
    (problem,) = _problems(path)
    assert str(problem) == f"{path}: title: must not be empty"


@pytest.mark.parametrize("text", ["just a string\n", "- 1\n- 2\n", "42\n", ""])
def test_document_that_is_not_a_mapping_is_rejected(write_file: WriteFile, text: str) -> None:
    problems = _problems(write_file("scalar.yaml", text))
    assert all("expected a mapping of CIS elements" in problem.message for problem in problems)


def test_list_file_holds_several_records(
    write_file: WriteFile, make_document: Callable[..., Document]
) -> None:
    path = write_file("two.yaml", _yaml([make_document("first-one"), make_document("second-one")]))
    assert [record.id for record in load_records(path)] == ["first-one", "second-one"]


def test_list_file_reports_problems_with_item_index(
    write_file: WriteFile, make_document: Callable[..., Document]
) -> None:
    broken = make_document("second-one", title="")
    path = write_file("two.yaml", _yaml([make_document("first-one"), broken]))
    assert _at(_problems(path), "[1].title").message == "must not be empty"


def test_duplicate_ids_in_a_list_file_are_rejected(
    write_file: WriteFile, make_document: Callable[..., Document]
) -> None:
    path = write_file("dup.yaml", _yaml([make_document("same-id"), make_document("same-id")]))
    assert "duplicate id 'same-id'" in _at(_problems(path), "[1].id").message


def test_duplicate_id_after_an_invalid_item_names_its_own_index(
    write_file: WriteFile, make_document: Callable[..., Document]
) -> None:
    items = [make_document("broken", title=""), make_document("same-id"), make_document("same-id")]
    problems = _problems(write_file("dup.yaml", _yaml(items)))
    assert "duplicate id 'same-id'" in _at(problems, "[2].id").message


def test_load_record_rejects_a_file_with_two_records(
    write_file: WriteFile, make_document: Callable[..., Document]
) -> None:
    path = write_file("two.yaml", _yaml([make_document("first-one"), make_document("second")]))
    with pytest.raises(InvalidInput, match="expected one record, found 2"):
        load_record(path)


def test_unsupported_suffix_is_rejected(write_file: WriteFile) -> None:
    (problem,) = _problems(write_file("record.txt", "id: x\n"))
    assert problem.message == "expected a .yaml, .yml or .json file"


def test_file_that_is_not_utf8_is_reported_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Québec\n".encode("latin-1"))
    (problem,) = _problems(path)
    assert problem.message.startswith("cannot read file")


def test_missing_file_is_reported_as_unreadable(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "absent.yaml")
    assert problem.message.startswith("cannot read file")


def test_expanding_a_folder_lists_record_files_sorted_and_recursive(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.json", "notes.txt", "sub/c.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    found = [path.relative_to(tmp_path).as_posix() for path in expand_paths([tmp_path])]
    assert found == ["a.json", "b.yaml", "sub/c.yml"]


def test_expanding_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file or folder"):
        list(expand_paths([tmp_path / "absent"]))


def test_dump_rejects_an_unknown_format(example_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected 'yaml' or 'json'"):
        dump_record(load_record(example_path), fmt="xml")


def test_parse_text_reads_json_by_suffix() -> None:
    assert parse_text('{"a": [1, 2]}', source="x.json", suffix=".json") == {"a": [1, 2]}


def test_validate_document_returns_the_record(example_document: Document) -> None:
    record = validate_document(example_document, source="x.yaml")
    assert isinstance(record, MicroCredential)
