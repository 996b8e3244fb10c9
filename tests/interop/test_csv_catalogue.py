"""CSV catalogues: the documented column form, every problem by row and column, the
rejects file, and the same checks a YAML record gets."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acting import OPERATOR
from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput
from credstack.interop import service
from credstack.interop.csv_catalogue import (
    check_rows,
    document_cells,
    model_columns,
    read_rows,
    rejects_csv,
    split_list,
    template_text,
    write_csv,
)
from credstack.registry import service as registry
from credstack.registry.generate import generate_documents
from credstack.store.unit_of_work import Database


def _csv(records: list[MicroCredential]) -> str:
    rows = [document_cells(record.to_document()) for record in records]
    columns = list(dict.fromkeys(column for row in rows for column in row))
    return write_csv(rows, columns)


def _edit(text: str, row: int, column: str, value: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[row - 2][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _records(text: str) -> list[MicroCredential]:
    columns, rows = read_rows(text, source="c.csv")
    check_rows(columns, rows, source="c.csv")
    assert [p for row in rows for p in row.problems] == []
    return [row.record for row in rows if row.record is not None]


def test_a_demo_record_survives_a_csv_row_unchanged(demo_record: MicroCredential) -> None:
    assert _records(_csv([demo_record])) == [demo_record]


def test_template_has_every_column_and_a_valid_example_row() -> None:
    text = template_text()
    header = next(csv.reader(io.StringIO(text)))
    assert set(model_columns()) <= set(header)
    assert "learning_outcomes[1].alignments[1].uri" in header
    [record] = _records(text)
    assert record.id == "rru-caf-foundations-climate-adaptation"


def test_list_cells_split_on_bars_and_keep_escaped_ones() -> None:
    assert split_list("en | fr-CA |") == ["en", "fr-CA"]
    assert split_list(r"a \| b | c") == ["a | b", "c"]


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1)
        .map(str.strip)
        .filter(bool),
        max_size=5,
    )
)
def test_list_cells_read_back_what_was_written(items: list[str]) -> None:
    cell = document_cells({"topics": items})["topics"]
    assert split_list(cell) == [item.strip() for item in items if item.strip()]


def test_numbered_columns_fill_a_list_of_values(example_record: MicroCredential) -> None:
    text = _csv([example_record]).replace("language", "language[1]", 1)
    [record] = _records(text)
    assert record.language == example_record.language


def test_reports_every_problem_with_row_and_column(example_record: MicroCredential) -> None:
    other = example_record.model_copy(update={"id": "second-record"})
    text = _edit(_csv([example_record, other]), 3, "price.currency", "CDN")
    text = _edit(text, 2, "learning_outcomes[2].statement", "")
    columns, rows = read_rows(text, source="c.csv")
    check_rows(columns, rows, source="c.csv")
    found = [str(p) for row in rows for p in row.problems]
    assert found == [
        "c.csv: row 2, column 'learning_outcomes[2].statement': required field is missing",
        "c.csv: row 3, column 'price.currency': "
        "'CDN' is not an ISO 4217 currency code (e.g. 'CAD')",
    ]


def test_reports_a_model_rule_against_its_column(example_record: MicroCredential) -> None:
    text = _edit(_csv([example_record]), 2, "learner_effort.total_hours", "40")
    columns, rows = read_rows(text, source="c.csv")
    check_rows(columns, rows, source="c.csv")
    [problem] = rows[0].problems
    assert problem.location == "row 2, column 'learner_effort.total_hours'"
    assert "does not equal the sum of the five components" in problem.message


def test_rejects_an_unknown_column_with_a_suggestion() -> None:
    with pytest.raises(InvalidInput) as raised:
        read_rows("id,titel\nx,y\n", source="c.csv")
    assert [str(p) for p in raised.value.problems] == [
        "c.csv: row 1, column 'titel': unknown field 'titel'; did you mean 'title'?"
    ]


def test_rejects_an_index_on_a_field_that_is_not_a_list() -> None:
    with pytest.raises(InvalidInput) as raised:
        read_rows("title[1]\nx\n", source="c.csv")
    assert "'title' is not a list" in raised.value.problems[0].message


def test_rejects_a_row_with_more_cells_than_columns(example_record: MicroCredential) -> None:
    text = _csv([example_record]).rstrip("\n") + ",surplus\n"
    _, rows = read_rows(text, source="c.csv")
    assert [p.location for p in rows[0].problems] == ["row 2"]


def test_rejects_an_id_given_on_two_rows(example_record: MicroCredential) -> None:
    columns, rows = read_rows(_csv([example_record, example_record]), source="c.csv")
    check_rows(columns, rows, source="c.csv")
    assert [str(p) for p in rows[1].problems] == [
        f"c.csv: row 3, column 'id': id '{example_record.id}' is also on row 2"
    ]


def test_rejects_file_carries_errors_and_imports_once_fixed(
    example_record: MicroCredential,
) -> None:
    text = _edit(_csv([example_record]), 2, "price.currency", "CDN")
    columns, rows = read_rows(text, source="c.csv")
    check_rows(columns, rows, source="c.csv")
    rejects = rejects_csv(columns, rows)
    assert (
        "'CDN' is not an ISO 4217 currency code"
        in next(csv.DictReader(io.StringIO(rejects)))["errors"]
    )
    [record] = _records(_edit(rejects, 2, "price.currency", "CAD"))
    assert record == example_record


def test_import_writes_nothing_when_any_row_fails(
    database: Database, example_record: MicroCredential
) -> None:
    other = example_record.model_copy(update={"id": "second-record"})
    text = _edit(_csv([example_record, other]), 3, "price.currency", "CDN")
    with pytest.raises(InvalidInput), database.unit_of_work() as session:
        service.import_csv(session, text=text, source="c.csv", actor=OPERATOR)
    with database.read() as session:
        assert registry.count_records(session) == 0


def test_skip_invalid_stores_good_rows_and_returns_the_rest(
    database: Database, example_record: MicroCredential
) -> None:
    other = example_record.model_copy(update={"id": "second-record"})
    text = _edit(_csv([example_record, other]), 3, "price.currency", "CDN")
    with database.unit_of_work() as session:
        outcome = service.import_csv(
            session, text=text, source="c.csv", actor=OPERATOR, skip_invalid=True
        )
    assert (outcome.created, outcome.rejected) == ([example_record.id], 1)
    assert outcome.rejects is not None and "second-record" in outcome.rejects
    with database.read() as session:
        assert registry.ids_in(session, ids=[example_record.id, "second-record"]) == {
            example_record.id
        }


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_any_generated_record_survives_a_csv_row(seed: int) -> None:
    [document] = generate_documents(1, seed)
    record = MicroCredential.model_validate(document)
    assert _records(_csv([record])) == [record]
