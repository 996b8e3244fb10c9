"""Property tests for the parsers and the snapshot format."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.taxonomy.importers.custom import read_custom_csv
from credstack.taxonomy.importers.tables import split_bars, split_lines
from credstack.taxonomy.model import Competency, Framework, FrameworkInfo
from credstack.taxonomy.scales import BUILTIN_SCALES
from credstack.taxonomy.snapshot import read_snapshot, write_snapshot

label = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="|"
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@given(st.lists(label, max_size=6))
def test_split_lines_returns_each_non_blank_line(values: list[str]) -> None:
    assert split_lines("\n".join(values)) == tuple(values)


@given(st.lists(label, max_size=6))
def test_split_bars_returns_each_value(values: list[str]) -> None:
    assert split_bars(" | ".join(values)) == tuple(values)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(label, st.lists(label, max_size=3)),
        min_size=1,
        max_size=5,
        unique_by=lambda item: item[0],
    )
)
def test_custom_csv_round_trips_labels(
    tmp_path_factory: object, rows: list[tuple[str, list[str]]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["uri", "label", "alt_labels"])
    for position, (text, alts) in enumerate(rows):
        writer.writerow([f"urn:x:{position}", text, "|".join(alts)])
    path = Path(tmp_path_factory.mktemp("csv")) / "f.csv"  # type: ignore[attr-defined]
    path.write_text(buffer.getvalue(), encoding="utf-8")
    framework = read_custom_csv(path, framework_id="p")
    assert [(c.preferred_label, list(c.alt_labels)) for c in framework.competencies] == [
        (text, alts) for text, alts in rows
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(label, st.lists(label, max_size=3), st.booleans()), min_size=1, max_size=6)
)
def test_snapshot_reads_back_the_same_framework(
    tmp_path_factory: object, rows: list[tuple[str, list[str], bool]]
) -> None:
    competencies = tuple(
        Competency(
            uri=f"http://data.europa.eu/esco/skill/{position}" if esco else f"urn:other:{position}",
            preferred_label=text,
            alt_labels=tuple(a for a in dict.fromkeys(alts) if a != text),
            broader=("http://data.europa.eu/esco/skill/0",) if position else (),
        )
        for position, (text, alts, esco) in enumerate(rows)
    )
    framework = Framework(FrameworkInfo("esco", "E", "P", "1"), competencies, scales=BUILTIN_SCALES)
    path = Path(tmp_path_factory.mktemp("snap")) / "s.json.gz"  # type: ignore[attr-defined]
    write_snapshot(framework, path)
    assert read_snapshot(path) == framework
