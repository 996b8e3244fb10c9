"""What the verification, wallet and endorsement views need from the badges capability."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from credstack.badges import endorsement_store
from credstack.badges import service as badges
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


def verify_stored_badge(session: Session, badge_id: str) -> VerificationReport:
    """Verify a badge this registry issued, exactly as a verifier would receive it."""
    badge = badges.get_badge(session, badge_id=badge_id)
    return verify(session, credential=badge.credential)


def wallet_context(session: Session, learner_id: str) -> dict[str, Any]:
    """A learner's wallet: their badges, newest first (NotFound for an unknown learner)."""
    cards = [badges_view.wallet_card(badge.summary())
             for badge in badges.wallet(session, learner_id=learner_id)]
    return {"learner_id": learner_id, "cards": cards}


def endorsements(session: Session, credential_id: str) -> list[badges_view.EndorsementView]:
    """A micro-credential's industry endorsements, each verified."""
    documents = endorsement_store.endorsements_of(session, credential_id=credential_id)
    return [
        badges_view.endorsement_view(document, verify(session, credential=document))
        for document in documents[:MAX_ENDORSEMENTS_SHOWN]
    ]
