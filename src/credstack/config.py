"""The one configuration object: where the database is and which standard gates publishing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from credstack.errors import InvalidInput, Problem

DATABASE_ENV = "CREDSTACK_DATABASE_URL"
STANDARD_ENV = "CREDSTACK_PUBLISH_STANDARD"
DATA_DIR_ENV = "CREDSTACK_DATA_DIR"
PASSPHRASE_FILE_ENV = "CREDSTACK_KEY_PASSPHRASE_FILE"
BASE_URL_ENV = "CREDSTACK_BASE_URL"
MAX_BODY_ENV = "CREDSTACK_MAX_BODY_BYTES"
MAX_IMPORT_BODY_ENV = "CREDSTACK_MAX_IMPORT_BODY_BYTES"
DEMO_ENV = "CREDSTACK_DEMO"  # set by ``serve --demo`` for its worker processes
DEFAULT_PUBLISH_STANDARD = "bc-assessment-standard"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# A complete CIS is a few tens of kilobytes; a framework package (CASE) can be megabytes.
DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_MAX_IMPORT_BODY_BYTES = 33_554_432


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
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_import_body_bytes: int = DEFAULT_MAX_IMPORT_BODY_BYTES
    demo: bool = False  # a demo registry: every portal page says so

    @classmethod
    def resolve(cls, database_url: str | None = None) -> Settings:
        """Settings from an explicit URL, ``CREDSTACK_DATABASE_URL``, or the default file."""
        url = database_url or os.environ.get(DATABASE_ENV)
        if not url:
            directory = data_dir()
            directory.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{directory / 'credstack.db'}"
        standard = os.environ.get(STANDARD_ENV, DEFAULT_PUBLISH_STANDARD)
        return cls(
            database_url=url,
            publish_standard=standard,
            max_body_bytes=_byte_count(MAX_BODY_ENV, DEFAULT_MAX_BODY_BYTES),
            max_import_body_bytes=_byte_count(MAX_IMPORT_BODY_ENV, DEFAULT_MAX_IMPORT_BODY_BYTES),
            demo=os.environ.get(DEMO_ENV) == "1",
        )


def _byte_count(name: str, default: int) -> int:
    """A positive number of bytes from the environment variable ``name``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput([Problem(name, f"expected a positive number of bytes, got '{value}'")])
    return int(value)
