"""What the compliance panel and the QA dashboard need from the quality capability."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from itertools import chain, islice
from typing import Any

from sqlalchemy.orm import Session

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import CredstackError
from credstack.quality import service as quality
from credstack.quality.engine import CompiledRuleSet, ComplianceReport
from credstack.registry import service as registry
from credstack.registry.query import PUBLIC_STATUSES
from credstack.web import quality_view

# A page checks at most this many records; larger registries use `credstack check --all`.
MAX_QA_RECORDS = 5_000
MAX_LISTED = 100


def pick_framework(requested: str | None, default: str) -> tuple[str, str | None]:
    """The shipped rule set to use, and a message when the requested one is unknown."""
    known = {rule_set.id for rule_set in quality.frameworks()}
    if not requested:
        return default, None
    if requested in known:
        return requested, None
    return default, f"Framework: '{requested}' is not a shipped rule set; showing {default}"


def compliance_panel(record: MicroCredential,
                     framework_id: str) -> tuple[quality_view.CompliancePanel | None, str | None]:
    """``record`` checked against one rule set, as the credential page shows it.

    A rule set that cannot be loaded (a misconfigured publishing standard) hides the
    panel with a message rather than the whole page.
    """
    try:
        report = quality.check_record(record, [framework_id])[0]
    except CredstackError as error:
        return None, f"Compliance cannot be checked against '{framework_id}': {error}"
    return quality_view.compliance_panel(report, quality.frameworks()), None


def parse_status(raw: str | None) -> tuple[LifecycleStatus | None, str | None]:
    """The lifecycle status filter of the dashboard ('' or None: every status)."""
    if not raw:
        return None, None
    try:
        return LifecycleStatus(raw), None
    except ValueError:
        return None, f"Status: '{raw}' is not one of {', '.join(s.value for s in LifecycleStatus)}"


def qa_context(session: Session, *, framework_id: str,
               status: LifecycleStatus | None, public_only: bool = False) -> dict[str, Any]:
    """The QA dashboard: the registry checked against a rule set, gaps first.

    ``public_only`` (a visitor who may not see every unpublished record): only published
    and retired records are checked, listed and counted."""
    shown = PUBLIC_STATUSES if public_only else tuple(LifecycleStatus)
    statuses = (status,) if status is not None else shown
    total = sum(registry.count_records(session, status=s) for s in statuses)
    records = (stored.record for stored in islice(
        chain.from_iterable(registry.iter_records(session, status=s) for s in statuses),
        MAX_QA_RECORDS))
    non_compliant: list[dict[str, Any]] = []

    def note(record: MicroCredential, _rule_set: CompiledRuleSet,
             report: ComplianceReport | None, compliant: bool) -> None:
        if not compliant and report is not None and len(non_compliant) < MAX_LISTED:
            non_compliant.append({"id": record.id, "title": record.title,
                                  "provider": record.provider.issuer.name,
                                  "failures": [r.rule_id for r in report.failures()]})

    summary = quality.summarise(records, [quality.compile_rule_set(framework_id)], on_result=note)
    today = datetime.now(UTC).date()
    return {
        "dashboard": quality_view.dashboard(summary.frameworks[0]),
        "choices": quality_view.choices(quality.frameworks()),
        "statuses": list(shown),
        "status": status,
        "checked": summary.records,
        "total": total,
        "truncated": total > summary.records,
        "non_compliant": non_compliant,
        "status_counts": {s.value: registry.count_records(session, status=s) for s in shown},
        "review_due": registry.review_due_ids(session, today=today),
    }


class QaCache:
    """Dashboards already computed, each valid for the registry generation it was made at.

    Checking thousands of records takes seconds; a dashboard is served again only while
    the registry's generation (moved on by every stored version and status change) and
    the date (review due) are unchanged, so it is never stale.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, str, bool, date], tuple[int, dict[str, Any]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def context(self, session: Session, *, framework_id: str,
                status: LifecycleStatus | None, public_only: bool = False) -> dict[str, Any]:
        """The dashboard's context (a copy the caller may add to)."""
        # Read before the records: data read after it is at least this new.
        generation = registry.generation(session)
        key = (framework_id, status.value if status else "", public_only,
               datetime.now(UTC).date())
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] == generation:
                self._entries.move_to_end(key)
                return dict(cached[1])
        context = qa_context(session, framework_id=framework_id, status=status,
                             public_only=public_only)
        with self._lock:
            self._entries[key] = (generation, context)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return dict(context)
