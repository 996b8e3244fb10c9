"""Build the compact ESCO snapshot credstack ships, from ESCO's official CSV download.

    python scripts/build_esco_snapshot.py ESCO_DOWNLOAD_FOLDER \
        [--out src/credstack/taxonomy/data/esco-snapshot.json.gz] [--version 1.1.1]

The input is a folder with the two official ZIP archives (classification ``en`` CSV and
relations CSV), or one of them. The output keeps skills (labels, descriptions, types,
hierarchy, collections), skill groups, occupations and occupation–skill relations.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from credstack.taxonomy.importers.esco import read_esco
from credstack.taxonomy.model import content_hash
from credstack.taxonomy.snapshot import bundled_snapshot_path, read_snapshot, write_snapshot


def main() -> None:
    """Read the official download, write the snapshot, and check it reads back equal."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="ESCO CSV download (folder or ZIP)")
    parser.add_argument("--out", type=Path, default=bundled_snapshot_path())
    parser.add_argument("--version", default="1.1.1")
    args = parser.parse_args()
    framework = read_esco(args.source, version=args.version)
    write_snapshot(framework, args.out)
    again = read_snapshot(args.out)
    recomputed = content_hash(again)
    if recomputed != framework.content_hash or again.content_hash != framework.content_hash:
        raise SystemExit("snapshot does not read back to the same framework")
    size = args.out.stat().st_size
    print(
        f"{args.out}: {len(framework.competencies)} competencies, "
        f"{len(framework.occupations)} occupations, {size / 1e6:.1f} MB, "
        f"content hash {framework.content_hash[:12]}"
    )


if __name__ == "__main__":
    main()
