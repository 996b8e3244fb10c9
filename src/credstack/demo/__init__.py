"""The bundled demo set: micro-credentials from providers named in the scan.

One YAML file per micro-credential, each a complete CIS record (``MicroCredential``)
from a provider the scan names (Royal Roads, UBC, TRU, VCC, NAIT, Humber, Seneca,
Mohawk, Saskatchewan Polytechnic, SIT, ...) across British Columbia, Alberta, Ontario,
Saskatchewan, Ireland, Australia, New Zealand and Singapore. It includes the Royal Roads
Climate Adaptation Fundamentals pathway (scan, Appendix 2: 2 + 2 + 2 courses).

Each file starts with a comment citing the lines of the scan it rests on. Where the scan
gives no figure (hours, price, dates, credits), the record uses a plausible one and sets
``sample: true``; records with ``sample: false`` state only what the scan says and leave
the rest out, so they are deliberately incomplete. A few records also lack recommended
or required elements on purpose, so that compliance checks show real differences.
"""

from __future__ import annotations

from pathlib import Path

CREDENTIALS_DIR = Path(__file__).resolve().parent / "credentials"


def demo_files() -> list[Path]:
    """The bundled demo YAML files, sorted by file name (one micro-credential each)."""
    return sorted(CREDENTIALS_DIR.glob("*.yaml"))
