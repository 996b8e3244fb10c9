"""Issuers in storage: a registry provider's keys, DIDs, did:web document and trust.

An issuer is a registry provider with at least one Ed25519 key. Key files live on disk
(mode 0600, optionally encrypted with a passphrase); the database keeps only public
keys, the DIDs they appear under, and the key files' paths. An issuer signs with its
did:web when it has one (the document lists every key, newest first, so rotation keeps
old badges verifiable) and otherwise with the did:key of its active key; the did:keys
of its rotated keys stay on the trusted list for the same reason.

Functions take the session as a keyword and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, Resource, ResourceKind
from credstack.accounts.policy import require
from credstack.badges.achievement import Profile
from credstack.badges.did import (
    build_did_web_document,
    did_key,
    did_key_signing_key,
    did_web_from_url,
    did_web_signing_key,
    parse_did_url,
)
from credstack.badges.errors import BadgeError, DidError
from credstack.badges.keys import (
    SigningKey,
    generate_private_key,
    load_private_key,
    public_key_from_raw,
    public_key_multibase,
    save_private_key,
)
from credstack.badges.multibase import decode_ed25519_multikey
from credstack.config import key_passphrase_file, public_base_url
from credstack.errors import Conflict, InvalidInput, NotFound, Problem
from credstack.registry import service as registry
from credstack.store.tables.badges import IssuerKeyRow, IssuerRow

ACTIVE, ROTATED, RETIRED = "active", "rotated", "retired"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class KeyInfo:
    """The public facts of one issuer key (never the private half)."""

    public_key_multibase: str
    did_key: str
    key_path: str
    encrypted: bool
    state: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "public_key_multibase": self.public_key_multibase,
            "did_key": self.did_key,
            "key_file": self.key_path,
            "encrypted": self.encrypted,
            "state": self.state,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class IssuerInfo:
    """A provider set up to issue: its name, DIDs, base URL and keys (newest first)."""

    provider_id: str
    name: str
    url: str | None
    did_web: str | None
    base_url: str
    keys: tuple[KeyInfo, ...] = field(default_factory=tuple)

    @property
    def active_key(self) -> KeyInfo:
        """The key that signs new credentials."""
        for key in self.keys:
            if key.state == ACTIVE:
                return key
        raise NotFound(f"issuer '{self.provider_id}' has no active key; run issuer rotate")

    @property
    def did(self) -> str:
        """The DID new credentials are issued under."""
        return self.did_web or self.active_key.did_key

    @property
    def dids(self) -> set[str]:
        """Every DID this issuer has signed under (did:web and each key's did:key)."""
        found = {key.did_key for key in self.keys if key.state != RETIRED}
        if self.did_web:
            found.add(self.did_web)
        return found

    def profile(self, did: str | None = None) -> Profile:
        """The OB 3.0 issuer ``Profile`` (id = the DID)."""
        return Profile(did or self.did, self.name, url=self.url)

    def did_web_document(self) -> dict[str, Any]:
        """The issuer's did:web document: current and rotated keys, newest first."""
        if self.did_web is None:
            raise NotFound(f"issuer '{self.provider_id}' has no did:web")
        listed = [_public_key(k) for k in self.keys if k.state in (ACTIVE, ROTATED)]
        retired = [_public_key(k) for k in self.keys if k.state == RETIRED]
        return build_did_web_document(self.did_web, listed, retired=retired)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (public facts only)."""
        return {
            "provider": self.provider_id,
            "name": self.name,
            "did": self.did if any(k.state == ACTIVE for k in self.keys) else None,
            "did_web": self.did_web,
            "base_url": self.base_url,
            "keys": [key.to_dict() for key in self.keys],
        }


def _public_key(key: KeyInfo) -> Any:
    return public_key_from_raw(decode_ed25519_multikey(key.public_key_multibase))


def _key_info(row: IssuerKeyRow) -> KeyInfo:
    return KeyInfo(
        row.public_key_multibase,
        row.did_key,
        row.key_path,
        row.encrypted,
        row.state,
        row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC),
    )


def _info(session: Session, row: IssuerRow) -> IssuerInfo:
    provider = registry.get_provider(session, provider_id=row.provider_id)
    keys = session.scalars(
        select(IssuerKeyRow)
        .where(IssuerKeyRow.provider_id == row.provider_id)
        .order_by(IssuerKeyRow.id.desc())
    )
    return IssuerInfo(
        provider_id=row.provider_id,
        name=str(provider.get("name", row.provider_id)),
        url=provider.get("url"),
        did_web=row.did_web,
        base_url=row.base_url,
        keys=tuple(_key_info(key) for key in keys),
    )


def did_web_for(value: str) -> tuple[str, str]:
    """(did:web, base URL) for ``host[:port][/path]`` or an https URL."""
    url = value if value.startswith("https://") else f"https://{value}"
    try:
        did = did_web_from_url(url)
    except DidError as error:
        raise InvalidInput([Problem("--did-web", str(error))]) from None
    parts = urlsplit(url)
    return did, f"https://{parts.netloc}"


def _check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInput(
            [Problem("--base-url", f"'{base_url}' is not an http(s) origin such as https://host")]
        )
    return base_url.rstrip("/")


def _new_key(
    session: Session, *, provider_id: str, key_dir: Path, passphrase: str | None
) -> IssuerKeyRow:
    private_key = generate_private_key()
    multibase = public_key_multibase(private_key.public_key())
    path = (key_dir / f"{provider_id}-{multibase[-12:]}.pem").resolve()
    save_private_key(private_key, path, passphrase=passphrase)
    row = IssuerKeyRow(
        provider_id=provider_id,
        public_key_multibase=multibase,
        did_key=did_key(private_key.public_key()),
        key_path=str(path),
        encrypted=bool(passphrase),
        state=ACTIVE,
        created_at=_now(),
    )
    session.add(row)
    return row


def init_issuer(
    session: Session,
    *,
    provider_id: str,
    key_dir: Path,
    actor: Actor,
    passphrase: str | None = None,
    did_web: str | None = None,
    base_url: str | None = None,
) -> IssuerInfo:
    """Set a registry provider up to issue: a new key file, its did:key, and a did:web.

    ``did_web`` is ``host[:port][/path]``; the base URL (where achievements and status
    lists are published) defaults to that host, else to the local server. For the
    organization's admins and registry admins.
    """
    registry.get_provider(session, provider_id=provider_id)  # NotFound if unknown
    require(actor, Action.MANAGE_KEYS, _organization(provider_id))
    if session.get(IssuerRow, provider_id) is not None:
        raise Conflict(f"'{provider_id}' is already an issuer; use issuer rotate for a new key")
    did, web_base = did_web_for(did_web) if did_web else (None, None)
    if (
        did is not None
        and session.scalars(select(IssuerRow).where(IssuerRow.did_web == did)).first()
    ):
        raise Conflict(f"{did} already belongs to another issuer")
    session.add(
        IssuerRow(
            provider_id=provider_id,
            did_web=did,
            base_url=_check_base_url(base_url or web_base or public_base_url()),
            created_at=_now(),
        )
    )
    session.flush()
    _new_key(session, provider_id=provider_id, key_dir=key_dir, passphrase=passphrase)
    session.flush()
    info = get_issuer(session, provider_id=provider_id)
    _audit_key(session, actor, "issuer.init", info)
    return info


def _organization(provider_id: str) -> Resource:
    return Resource(ResourceKind.ORGANIZATION, provider_id, organization_id=provider_id)


def _audit_key(session: Session, actor: Actor, action: str, info: IssuerInfo,
               before: str | None = None) -> None:
    # Key ids only: the key material and its passphrase never enter the log.
    audit.append(
        session, actor=actor, action=action, resource_type="organization",
        resource_id=info.provider_id, organization_id=info.provider_id, before=before,
        after=info.active_key.did_key, detail={"did": info.did},
    )


def rotate_key(
    session: Session,
    *,
    provider_id: str,
    key_dir: Path,
    actor: Actor,
    passphrase: str | None = None,
    retire_previous: bool = False,
) -> IssuerInfo:
    """A new active key; the previous one keeps verifying (or is retired if compromised).
    For the organization's admins and registry admins."""
    require(actor, Action.MANAGE_KEYS, _organization(provider_id))
    issuer = session.get(IssuerRow, provider_id)
    if issuer is None:
        raise NotFound(f"'{provider_id}' is not an issuer; run issuer init first")
    previous = get_issuer(session, provider_id=provider_id).active_key.did_key
    now = _now()
    for row in session.scalars(
        select(IssuerKeyRow).where(
            IssuerKeyRow.provider_id == provider_id, IssuerKeyRow.state == ACTIVE
        )
    ):
        row.state = RETIRED if retire_previous else ROTATED
        row.changed_at = now
    _new_key(session, provider_id=provider_id, key_dir=key_dir, passphrase=passphrase)
    session.flush()
    info = get_issuer(session, provider_id=provider_id)
    _audit_key(session, actor, "key.rotate", info, before=previous)
    return info


def get_issuer(session: Session, *, provider_id: str) -> IssuerInfo:
    """The issuer of ``provider_id``; ``NotFound`` with the command to run if absent."""
    row = session.get(IssuerRow, provider_id)
    if row is None:
        command = f"credstack issuer init --provider {provider_id}"
        raise NotFound(f"'{provider_id}' has no issuer key; run: {command}")
    return _info(session, row)


def list_issuers(session: Session) -> list[IssuerInfo]:
    """Every issuer, by provider id."""
    rows = session.scalars(select(IssuerRow).order_by(IssuerRow.provider_id))
    return [_info(session, row) for row in rows]


def issuer_for_did(session: Session, *, did: str) -> IssuerInfo | None:
    """The issuer that signs (or signed) under ``did``, if it is one of ours."""
    row = session.scalars(select(IssuerRow).where(IssuerRow.did_web == did)).first()
    if row is None:
        key = session.scalars(select(IssuerKeyRow).where(IssuerKeyRow.did_key == did)).first()
        row = session.get(IssuerRow, key.provider_id) if key is not None else None
    return _info(session, row) if row is not None else None


def did_web_documents(session: Session) -> dict[str, dict[str, Any]]:
    """The did:web documents of every registry issuer that has one, by DID."""
    return {
        issuer.did_web: issuer.did_web_document()
        for issuer in list_issuers(session)
        if issuer.did_web is not None and any(k.state != RETIRED for k in issuer.keys)
    }


def trusted_dids(session: Session) -> set[str]:
    """The DIDs of the registry's providers with registered issuer keys."""
    found: set[str] = set()
    for issuer in list_issuers(session):
        found |= issuer.dids
    return found


def read_passphrase(path: Path | None = None) -> str | None:
    """The key passphrase from ``path`` or the file named by ``$CREDSTACK_KEY_PASSPHRASE_FILE``.

    A file, never an argument or a variable's value, so it stays out of process lists
    and logs; one trailing newline is ignored.
    """
    source = path or key_passphrase_file()
    if source is None:
        return None
    try:
        text = source.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read the passphrase file: {error}"
        raise InvalidInput([Problem("--passphrase-file", message, str(source))]) from None
    if not text:
        raise InvalidInput([Problem("--passphrase-file", "the file is empty", str(source))])
    return text


class KeyRing:
    """Loads issuers' private keys from their files on demand (one passphrase)."""

    def __init__(self, passphrase: str | None = None) -> None:
        self._passphrase = passphrase
        self._loaded: dict[tuple[str, str], SigningKey] = {}

    @classmethod
    def from_environment(cls) -> KeyRing:
        """A key ring with the passphrase named by ``$CREDSTACK_KEY_PASSPHRASE_FILE``."""
        return cls(read_passphrase())

    def __repr__(self) -> str:
        return f"KeyRing(loaded={len(self._loaded)})"

    def signing_key(
        self, session: Session, *, provider_id: str, did: str | None = None
    ) -> SigningKey:
        """A signer for ``provider_id`` under ``did`` (default: the issuer's current DID)."""
        issuer = get_issuer(session, provider_id=provider_id)
        wanted = did or issuer.did
        cached = self._loaded.get((provider_id, wanted))
        if cached is not None:
            return cached
        parse_did_url(wanted)
        if wanted == issuer.did_web:
            key = issuer.active_key
        else:
            matches = [k for k in issuer.keys if k.did_key == wanted and k.state != RETIRED]
            if not matches:
                raise NotFound(f"'{provider_id}' has no usable key for {wanted}")
            key = matches[0]
        try:
            private_key = load_private_key(Path(key.key_path), passphrase=self._passphrase)
        except BadgeError as error:
            raise BadgeError(f"issuer '{provider_id}': {error}") from error
        if public_key_multibase(private_key.public_key()) != key.public_key_multibase:
            raise BadgeError(f"{key.key_path}: the key file does not hold the registered key")
        signer = (
            did_web_signing_key(wanted, private_key)
            if wanted == issuer.did_web
            else did_key_signing_key(private_key)
        )
        self._loaded[(provider_id, wanted)] = signer
        return signer
