"""Build the compact schema.org vocabulary credstack checks its JSON-LD against.

Reads the two CSV files of a schema.org release (``schemaorg-current-https-types.csv``,
``schemaorg-current-https-properties.csv``, from GitHub schemaorg/schemaorg
``data/releases/<version>/``) and writes the types with their supertypes and the
properties with their domains and ranges, names only, as sorted JSON.

    python scripts/build_schema_org_vocabulary.py TYPES.csv PROPERTIES.csv OUT.json
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

PREFIX = "https://schema.org/"


def _names(cell: str) -> list[str]:
    return sorted(part.strip().removeprefix(PREFIX) for part in cell.split(",")
                  if part.strip().startswith(PREFIX))


def build(types_csv: Path, properties_csv: Path) -> dict[str, object]:
    """The vocabulary as plain data: ``types`` -> supertypes, ``properties`` -> domain/range."""
    with types_csv.open(encoding="utf-8", newline="") as handle:
        types = {row["label"]: _names(row["subTypeOf"]) for row in csv.DictReader(handle)}
    with properties_csv.open(encoding="utf-8", newline="") as handle:
        properties = {row["label"]: {"domain": _names(row["domainIncludes"]),
                                     "range": _names(row["rangeIncludes"])}
                      for row in csv.DictReader(handle)}
    return {"types": dict(sorted(types.items())), "properties": dict(sorted(properties.items()))}


def main() -> None:
    """Write the vocabulary named on the command line."""
    types_csv, properties_csv, out = (Path(arg) for arg in sys.argv[1:4])
    out.write_text(json.dumps(build(types_csv, properties_csv), separators=(",", ":"),
                              sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
