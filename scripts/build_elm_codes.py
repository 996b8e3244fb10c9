"""Build the ISO 3166 alpha-2 -> alpha-3 and ISO 639-1 -> 639-2/T tables ELM export uses.

The EU Publications Office authority tables that ELM points at name countries and
languages by three-letter codes (``.../authority/country/IRL``, ``.../language/ENG``);
credstack records hold two-letter ones. Built from pycountry (as scripts/build_codes.py is):

    python scripts/build_elm_codes.py src/credstack/interop/schemas/elm/iso_alpha3.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry


def build() -> dict[str, dict[str, str]]:
    """Country and language code tables, two letters to three."""
    countries = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    languages = {lang.alpha_2: lang.alpha_3.upper() for lang in pycountry.languages
                 if hasattr(lang, "alpha_2")}
    return {"countries": dict(sorted(countries.items())),
            "languages": dict(sorted(languages.items()))}


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(build(), sort_keys=True) + "\n", encoding="utf-8")
