"""A learner's share links and public profile: what anonymous visitors may see of a wallet.

A share link names one badge or a chosen set; its secret is 256 random bits, shown once
and stored only as its SHA-256 (``accounts.secret_values``); it may expire and can be
revoked. The public profile is a link to every active badge of the wallet, switched on
and off by the learner: its address is a 128-bit random handle that the learner can see
again (the profile is meant to be public), and switching it off and on again makes a new
one. Once revoked or expired, a link shows nothing. Functions take the session as a
keyword and never commit; every change is written to the audit log.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.errors import Unauthenticated
from credstack.accounts.model import Action, Actor, ActorKind, Resource
from credstack.accounts.policy import require
from credstack.accounts.secret_values import digest, new_secret
from credstack.assess import service as assess
from credstack.badges import service as badges
from credstack.badges.service import ACTIVE, IssuedBadge
from credstack.errors import InvalidInput, NotFound, Problem
from credstack.store.tables.accounts import ShareLinkRow

PROFILE = "*"  # the badge list of a public profile: every active badge of the wallet
MAX_BADGES = 100
HANDLE_BYTES = 16  # 128 bits


@dataclass(frozen=True)
class ShareLink:
    """A share link or the public profile, without its secret."""

    id: str
    badge_ids: tuple[str, ...]
    profile: bool
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def to_dict(self) -> dict[str, Any]:
        """The API shape (never the secret)."""
        return {
            "id": self.id,
            "badges": list(self.badge_ids),
            "profile": self.profile,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True)
class SharedWallet:
    """What a visitor of a link sees: the learner's display name and the shared badges."""

    learner_name: str | None
    badges: tuple[IssuedBadge, ...]
    expires_at: datetime | None


def _link(row: ShareLinkRow) -> ShareLink:
    profile = list(row.badge_ids) == [PROFILE]
    return ShareLink(row.id, () if profile else tuple(row.badge_ids), profile, row.created_at,
                     row.expires_at, row.revoked_at)


def own_learner(session: Session, actor: Actor) -> str:
    """The learner id of the signed-in actor's wallet (every user has one)."""
    if actor.kind is not ActorKind.USER or actor.user_id is None:
        raise Unauthenticated("sign in or send an API token (Authorization: Bearer)")
    return assess.learner_for_user(session, user_id=actor.user_id, email=actor.name)


def _wallet(
    session: Session, actor: Actor, action: Action = Action.SHARE_WALLET
) -> tuple[str, Resource]:
    learner = own_learner(session, actor)
    resource = badges.wallet_resource(session, learner)
    require(actor, action, resource)
    return learner, resource


def create_link(
    session: Session,
    *,
    actor: Actor,
    badge_ids: list[str],
    lifetime: timedelta | None,
    address: str | None = None,
    now: datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new share link for badges of the actor's wallet; returns it and its secret."""
    learner, _ = _wallet(session, actor)
    chosen = list(dict.fromkeys(badge_ids))
    if not chosen or len(chosen) > MAX_BADGES:
        raise InvalidInput([Problem("badge_ids", f"choose 1 to {MAX_BADGES} badges to share")])
    mine = {badge.id for badge in badges.learner_badges(session, learner_id=learner)}
    for position, badge_id in enumerate(chosen):
        if badge_id not in mine:
            raise InvalidInput([Problem(f"badge_ids[{position}]",
                                        f"'{badge_id}' is not a badge in your wallet")])
    moment = now or datetime.now(UTC)
    secret = new_secret()
    row = _store(session, actor, secret, chosen, moment, lifetime)
    audit.append(session, actor=actor, action="share_link.create", resource_type="share_link",
                 resource_id=row.id, address=address, now=moment,
                 detail={"badges": chosen, "expires_at": _iso(row.expires_at)})
    return _link(row), secret


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _store(session: Session, actor: Actor, secret: str, badge_ids: list[str], now: datetime,
           lifetime: timedelta | None, link_id: str | None = None) -> ShareLinkRow:
    assert actor.user_id is not None
    row = ShareLinkRow(
        id=link_id or uuid.uuid4().hex, token_hash=digest(secret), user_id=actor.user_id,
        badge_ids=badge_ids, created_at=now,
        expires_at=now + lifetime if lifetime else None,
    )
    session.add(row)
    session.flush()
    return row


def list_links(session: Session, *, actor: Actor) -> list[ShareLink]:
    """The share links and profiles of the actor's wallet, newest first (a read)."""
    _wallet(session, actor, Action.READ_WALLET)
    rows = session.scalars(
        select(ShareLinkRow).where(ShareLinkRow.user_id == actor.user_id)
        .order_by(ShareLinkRow.created_at.desc(), ShareLinkRow.id)
    )
    return [_link(row) for row in rows]


def revoke_link(
    session: Session, *, actor: Actor, link_id: str, address: str | None = None,
    now: datetime | None = None,
) -> ShareLink:
    """Revoke one of the actor's links (no change if it already was); another's is 404."""
    _wallet(session, actor)
    row = session.get(ShareLinkRow, link_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"no share link '{link_id}'")
    if row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)
        session.flush()
        audit.append(session, actor=actor, action="share_link.revoke",
                     resource_type="share_link", resource_id=row.id, address=address,
                     before="active", after="revoked",
                     detail={"profile": list(row.badge_ids) == [PROFILE]})
    return _link(row)


def profile(session: Session, *, actor: Actor, now: datetime | None = None) -> ShareLink | None:
    """The actor's public profile if it is switched on."""
    moment = now or datetime.now(UTC)
    for link in list_links(session, actor=actor):
        if link.profile and link.active(moment):
            return link
    return None


def set_profile(
    session: Session, *, actor: Actor, enabled: bool, address: str | None = None,
    now: datetime | None = None,
) -> ShareLink | None:
    """Switch the actor's public profile on (a new handle unless on) or off."""
    current = profile(session, actor=actor, now=now)
    if enabled and current is None:
        handle = secrets.token_hex(HANDLE_BYTES)
        row = _store(session, actor, handle, [PROFILE], now or datetime.now(UTC), None,
                     link_id=handle)
        audit.append(session, actor=actor, action="share_link.create",
                     resource_type="share_link", resource_id=row.id, address=address,
                     detail={"profile": True})
        return _link(row)
    if not enabled and current is not None:
        revoke_link(session, actor=actor, link_id=current.id, address=address, now=now)
        return None
    return current


def _open(session: Session, row: ShareLinkRow | None, now: datetime) -> ShareLinkRow:
    if row is None or not _link(row).active(now):
        raise NotFound("this link does not exist, was revoked or has expired")
    return row


def _shared(session: Session, actor: Actor, row: ShareLinkRow,
            chosen: list[IssuedBadge]) -> SharedWallet:
    for badge in chosen:
        # The policy lets anyone read a badge its learner shared.
        require(actor, Action.READ_BADGE, badges.badge_resource(session, badge, shared=True))
    learner = assess.learner_of_user(session, user_id=row.user_id)
    name = assess.load_learner(session, learner_id=learner).display_name if learner else None
    return SharedWallet(name, tuple(chosen), row.expires_at)


def open_link(session: Session, *, secret: str, actor: Actor,
              now: datetime | None = None) -> SharedWallet:
    """What the share link ``secret`` shows; ``NotFound`` if unknown, revoked or expired."""
    moment = now or datetime.now(UTC)
    row = _open(session, session.scalars(
        select(ShareLinkRow).where(ShareLinkRow.token_hash == digest(secret))).first(), moment)
    if list(row.badge_ids) == [PROFILE]:
        raise NotFound("this link does not exist, was revoked or has expired")
    chosen = [badges.load_badge(session, badge_id=badge_id) for badge_id in row.badge_ids]
    return _shared(session, actor, row, chosen)


def open_profile(session: Session, *, handle: str, actor: Actor,
                 now: datetime | None = None) -> SharedWallet:
    """A public profile's active badges; ``NotFound`` if unknown or switched off."""
    moment = now or datetime.now(UTC)
    row = _open(session, session.get(ShareLinkRow, handle[:64]), moment)
    if list(row.badge_ids) != [PROFILE]:
        raise NotFound("this link does not exist, was revoked or has expired")
    learner = assess.learner_of_user(session, user_id=row.user_id)
    chosen = [b for b in badges.learner_badges(session, learner_id=learner) if b.state == ACTIVE
              ] if learner else []
    return _shared(session, actor, row, chosen)


def shared_badge(session: Session, *, shared: SharedWallet, badge_id: str) -> IssuedBadge:
    """One badge of what a link shows (to download it); ``NotFound`` otherwise."""
    for badge in shared.badges:
        if badge.id == badge_id:
            return badge
    raise NotFound(f"no badge '{badge_id}' behind this link")
