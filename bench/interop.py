"""Interop benchmark: CTDL export against YAML export, CSV import against YAML file import.

    python bench/interop.py --records 100000 --rows 10000

Prints one JSON line. Records come from the seeded generator (``credstack generate``),
validated as stored records are. Export: every record rendered as a CTDL graph (and
serialised to JSON) against every record rendered as the YAML file format, in the same
run (``ctdl_vs_yaml`` > 1: CTDL export is faster); a sample is also checked against the
CTDL schemas (``ctdl_validated_per_s``). Import: the same rows as one CSV catalogue and
as YAML files, each into a fresh SQLite database through the registry's one write path
(``csv_vs_yaml`` > 1: the CSV import is faster).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from credstack.domain.credential import MicroCredential
from credstack.interop import service
from credstack.interop.csv_catalogue import document_cells, write_csv
from credstack.interop.ctdl import to_ctdl
from credstack.interop.ctdl_schema import validate_graph
from credstack.registry.files import dump_record
from credstack.registry.generate import generate_documents
from credstack.registry.importer import import_files
from credstack.store.engine import make_engine
from credstack.store.migrate import upgrade
from credstack.store.unit_of_work import Database

BASE_URL = "https://registry.example.org"
VALIDATED_SAMPLE = 2000


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds else 0.0


def _export(records: list[MicroCredential]) -> dict[str, Any]:
    started = time.perf_counter()
    ctdl_bytes = sum(len(json.dumps(to_ctdl(r, base_url=BASE_URL))) for r in records)
    ctdl_seconds = time.perf_counter() - started
    started = time.perf_counter()
    yaml_bytes = sum(len(dump_record(r, fmt="yaml")) for r in records)
    yaml_seconds = time.perf_counter() - started
    sample = records[:VALIDATED_SAMPLE]
    started = time.perf_counter()
    invalid = sum(1 for r in sample if validate_graph(to_ctdl(r, base_url=BASE_URL)))
    validated_seconds = time.perf_counter() - started
    return {
        "ctdl_per_s": _rate(len(records), ctdl_seconds),
        "yaml_per_s": _rate(len(records), yaml_seconds),
        "ctdl_vs_yaml": round(yaml_seconds / ctdl_seconds, 2),
        "ctdl_mb": round(ctdl_bytes / 2**20, 1),
        "yaml_mb": round(yaml_bytes / 2**20, 1),
        "ctdl_validated_per_s": _rate(len(sample), validated_seconds),
        "ctdl_invalid": invalid,
    }


def _database(path: Path) -> Database:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return Database(engine)


def _import(documents: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    rows = [document_cells(document) for document in documents]
    columns = list(dict.fromkeys(column for row in rows for column in row))
    catalogue = write_csv(rows, columns)
    yaml_dir = folder / "yaml"
    yaml_dir.mkdir()
    for document in documents:
        (yaml_dir / f"{document['id']}.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False), encoding="utf-8"
        )
    csv_db = _database(folder / "csv.db")
    started = time.perf_counter()
    with csv_db.unit_of_work() as session:
        outcome = service.import_csv(session, text=catalogue, source="bench.csv", actor="bench")
    csv_seconds = time.perf_counter() - started
    yaml_db = _database(folder / "yaml.db")
    started = time.perf_counter()
    report = import_files(yaml_db, [yaml_dir], actor="bench")
    yaml_seconds = time.perf_counter() - started
    assert len(outcome.created) == len(report.created) == len(documents)
    return {
        "csv_rows_per_s": _rate(len(documents), csv_seconds),
        "yaml_files_per_s": _rate(len(documents), yaml_seconds),
        "csv_vs_yaml": round(yaml_seconds / csv_seconds, 2),
        "csv_columns": len(columns),
    }


def main() -> None:
    """Run both comparisons and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="records exported")
    parser.add_argument("--rows", type=int, default=10_000, help="rows imported")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    documents = list(generate_documents(max(arguments.records, arguments.rows), arguments.seed))
    records = [MicroCredential.model_validate(d) for d in documents[: arguments.records]]
    result: dict[str, Any] = {"bench": "interop", "records": len(records), "rows": arguments.rows}
    result.update(_export(records))
    with tempfile.TemporaryDirectory() as folder:
        plain = [
            MicroCredential.model_validate(d).to_document() for d in documents[: arguments.rows]
        ]
        result.update(_import(plain, Path(folder)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
