"""What the verification, wallet and endorsement views need from the badges capability."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from credstack.accounts.model import Actor
from credstack.badges import endorsement_store, sharing
from credstack.badges import service as badges
from credstack.badges.service import IssuedBadge
from credstack.badges.verify import VerificationReport
from credstack.badges.verify_service import verify
from credstack.web import badges_view

MAX_ENDORSEMENTS_SHOWN = 20


def unwrap(text: str) -> str:
    """A pasted credential as given; a VC-JWT pasted with its JSON quotes loses them."""
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] == stripped[-1] == '"' and "{" not in stripped:
        return stripped[1:-1]
    return stripped


def verification_context(report: VerificationReport, *, source: str) -> dict[str, Any]:
    """The result part of the verification page."""
    return {
        "verified": report.verified,
        "checks": badges_view.check_rows(report),
        "facts": badges_view.credential_facts(report.credential, report.proof_format),
        "source": source,
    }


def verify_text(session: Session, text: str) -> VerificationReport:
    """Verify a pasted or uploaded credential (JSON or VC-JWT) against this registry."""
    return verify(session, credential=unwrap(text))


def verify_stored_badge(session: Session, badge_id: str, actor: Actor) -> VerificationReport:
    """Verify a badge this registry issued that ``actor`` may read, exactly as a verifier
    would receive it."""
    badge = badges.get_badge(session, badge_id=badge_id, actor=actor)
    return verify(session, credential=badge.credential)


def _card(badge: IssuedBadge, download_href: str, cert_url: str | None) -> badges_view.WalletCard:
    return badges_view.wallet_card(badge.summary(), badge.document,
                                   download_href=download_href, cert_url=cert_url)


def wallet_context(session: Session, learner_id: str, actor: Actor,
                   base_url: str) -> dict[str, Any]:
    """A learner's wallet for ``actor`` (NotFound if unknown or not theirs to see): the
    badges, newest first, and for the learner themselves their links and profile."""
    found = badges.wallet(session, learner_id=learner_id, actor=actor)
    now = datetime.now(UTC)
    owner = badges.wallet_resource(session, learner_id).owner_id
    links = sharing.list_links(session, actor=actor) if owner == actor.user_id else None
    profile = next((link for link in links or [] if link.profile and link.revoked_at is None),
                   None)
    profile_url = f"{base_url}/profiles/{profile.id}" if profile else None
    return {
        "learner_id": learner_id,
        "cards": [_card(badge, badges_view.badge_href(badge.id), profile_url) for badge in found],
        "own": links is not None,
        "links": [{"link": link, "active": link.active(now)}
                  for link in links or [] if not link.profile],
        "profile_url": profile_url,
    }


def shared_context(shared: sharing.SharedWallet, *, page_url: str, page_path: str,
                   title: str) -> dict[str, Any]:
    """A share link's or public profile's page: the shared badges, linking LinkedIn to
    this page."""
    return {
        "title": title,
        "learner_name": shared.learner_name,
        "expires_at": shared.expires_at.date().isoformat() if shared.expires_at else None,
        "cards": [_card(badge, page_path + badges_view.badge_href(badge.id), page_url)
                  for badge in shared.badges],
    }


def endorsements(session: Session, credential_id: str) -> list[badges_view.EndorsementView]:
    """A micro-credential's industry endorsements, each verified."""
    documents = endorsement_store.endorsements_of(session, credential_id=credential_id)
    return [
        badges_view.endorsement_view(document, verify(session, credential=document))
        for document in documents[:MAX_ENDORSEMENTS_SHOWN]
    ]
