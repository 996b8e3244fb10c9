"""The one configuration object: where the database is and which standard gates publishing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DATABASE_ENV = "CREDSTACK_DATABASE_URL"
STANDARD_ENV = "CREDSTACK_PUBLISH_STANDARD"
DATA_DIR_ENV = "CREDSTACK_DATA_DIR"
PASSPHRASE_FILE_ENV = "CREDSTACK_KEY_PASSPHRASE_FILE"
BASE_URL_ENV = "CREDSTACK_BASE_URL"
DEFAULT_PUBLISH_STANDARD = "bc-assessment-standard"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def data_dir() -> Path:
    """The directory for the embedded database, keys and caches."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(user_data_dir("credstack", appauthor=False))


def key_passphrase_file() -> Path | None:
    """The file holding the issuer keys' passphrase, if one is configured."""
    configured = os.environ.get(PASSPHRASE_FILE_ENV)
    return Path(configured) if configured else None


def public_base_url() -> str:
    """The address the registry is published at (issuer profiles, status lists)."""
    return os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/")


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
