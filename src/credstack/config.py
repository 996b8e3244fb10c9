"""The one configuration object: where the database is and which standard gates publishing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DATABASE_ENV = "CREDSTACK_DATABASE_URL"
STANDARD_ENV = "CREDSTACK_PUBLISH_STANDARD"
DATA_DIR_ENV = "CREDSTACK_DATA_DIR"
DEFAULT_PUBLISH_STANDARD = "bc-assessment-standard"


def data_dir() -> Path:
    """The directory for the embedded database, keys and caches."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(user_data_dir("credstack", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Settings resolved from arguments, then the environment, then defaults."""

    database_url: str
    publish_standard: str = DEFAULT_PUBLISH_STANDARD

    @classmethod
    def resolve(cls, database_url: str | None = None) -> Settings:
        """Settings from an explicit URL, ``CREDSTACK_DATABASE_URL``, or the default file."""
        url = database_url or os.environ.get(DATABASE_ENV)
        if not url:
            directory = data_dir()
            directory.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{directory / 'credstack.db'}"
        standard = os.environ.get(STANDARD_ENV, DEFAULT_PUBLISH_STANDARD)
        return cls(database_url=url, publish_standard=standard)
