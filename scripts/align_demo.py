"""Align the demo records' learning outcomes with ESCO under a recorded review rule.

For each demo record (``src/credstack/demo/credentials/*.yaml``) every learning outcome is
ranked against the shipped ESCO snapshot by credstack's alignment ranking (BM25 fused
with the static MiniLM embeddings). The top suggestion is accepted only if the rule
``credstack-demo-review-rule-v1`` (see ``src/credstack/demo/ALIGNMENT_REVIEW.md``) holds;
otherwise nothing is recorded for that outcome. Accepted alignments are written into the
YAML files by a targeted text insertion under each outcome, so comments and layout stay.
Re-running replaces the alignments an earlier run of the same rule wrote and never
touches alignments reviewed by anyone else.

    python scripts/align_demo.py [--date 2026-11-28] [--dry-run]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import yaml

from credstack.align import rank
from credstack.align.index import CompetencyIndex, index_for
from credstack.align.rank import fused_scores
from credstack.align.text import terms
from credstack.demo import demo_files
from credstack.domain.credential import MicroCredential
from credstack.taxonomy.snapshot import load_bundled_esco

REVIEWER = "credstack-demo-review-rule-v1"
# The ranking the rule's thresholds were calibrated on (static model and fusion weights
# of that time). Scores of another ranking have another scale, so the rule must be
# recalibrated (a new version, a new reviewer name) before it is applied to them.
RULE_MODEL = "minilm-l6-v2-static-256-int8"
RULE_FUSION = (0.3, None)  # lexical weight 0.3, one embedding of the whole competency
FRAMEWORK = "esco"
MIN_SCORE = 0.60
MIN_SEMANTIC = 0.55
STRONG_SEMANTIC = 0.70
NEARLY_SEMANTIC = 0.65
AGREE_WITHIN = 3
# Words that occur in many outcome statements and many ESCO labels without saying what
# the skill is about; sharing only these is not evidence of a match.
GENERIC = frozenset(
    terms(
        """apply applied develop manage management plan planning practice practices work
        working workplace process processes system systems principle principles method methods
        technique techniques basic advanced skill skills knowledge activity activities
        perform information issue issues identify effective effectively model models
        standard standards procedure procedures tool tools task tasks need needs"""
    )
)
# The record's depth of learning (CIS, the scan's mastery scale) onto the basic /
# intermediate / advanced / expert proficiency scale; novice is below basic, so basic.
PROFICIENCY = {
    "novice": "basic",
    "basic": "basic",
    "intermediate": "intermediate",
    "advanced": "advanced",
    "expert": "expert",
}


@dataclass(frozen=True)
class Accepted:
    """One accepted alignment of an outcome."""

    outcome_id: str
    uri: str
    label: str
    code: str | None
    score: float
    shared: tuple[str, ...]


def overlap(statement: str, label: str) -> tuple[tuple[str, ...], set[str]]:
    """(content terms the label shares with the statement, label content terms missing).

    Content terms are index terms (stemmed, stop words dropped) longer than one letter
    that are not in ``GENERIC``.
    """
    label_terms = {t for t in terms(label) if len(t) > 1 and t not in GENERIC}
    statement_terms = [t for t in terms(statement) if len(t) > 1 and t not in GENERIC]
    shared = tuple(dict.fromkeys(t for t in statement_terms if t in label_terms))
    return shared, label_terms - set(statement_terms)


def _rank(row: npt.NDArray[np.float32], j: int) -> int:
    return int((row > row[j]).sum())


def review(
    index: CompetencyIndex, statements: Sequence[str]
) -> list[tuple[int, float, float, float, tuple[str, ...]] | None]:
    """Per statement: the accepted competency (position, fused, lexical, semantic, shared
    content terms), or None when the rule does not accept the top suggestion."""
    fused, lexical, semantic = fused_scores(index, list(statements))
    decisions: list[tuple[int, float, float, float, tuple[str, ...]] | None] = []
    for row, statement in enumerate(statements):
        best = int(np.argmax(fused[row]))
        competency = index.competencies[best]
        shared, missing = overlap(statement, competency.preferred_label)
        cosine = float(semantic[row, best])
        agreed = (
            float(fused[row, best]) >= MIN_SCORE
            and cosine >= MIN_SEMANTIC
            and _rank(lexical[row], best) < AGREE_WITHIN
            and _rank(semantic[row], best) < AGREE_WITHIN
        )
        covered = not missing and (len(shared) >= 2 or cosine >= STRONG_SEMANTIC)
        nearly = len(missing) == 1 and len(shared) >= 2 and cosine >= NEARLY_SEMANTIC
        ok = agreed and (covered or nearly)
        decisions.append(
            (
                best,
                float(fused[row, best]),
                float(lexical[row, best]),
                float(semantic[row, best]),
                shared,
            )
            if ok
            else None
        )
    return decisions


def fused_top(index: CompetencyIndex, statement: str) -> npt.NDArray[np.float32]:
    """The fused scores of one statement (for reporting what the rule turned down)."""
    scores: npt.NDArray[np.float32] = fused_scores(index, [statement])[0][0]
    return scores


def _quote(text: str) -> str:
    # JSON-style double quotes are valid YAML and need no further escaping rules here.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(accepted: Accepted, proficiency: str, when: str) -> list[str]:
    lines = [
        "  alignments:",
        f"  - framework: {FRAMEWORK}",
        f"    uri: {accepted.uri}",
        f"    label: {_quote(accepted.label)}",
    ]
    if accepted.code:
        lines.append(f"    code: {_quote(accepted.code)}")
    lines += [
        f"    proficiency_level: {proficiency}",
        "    status: accepted",
        f"    score: {accepted.score:.4f}",
        f"    reviewed_by: {REVIEWER}",
        f"    reviewed_at: '{when}'",
    ]
    return lines


_TOP_KEY = re.compile(r"^[A-Za-z_]")
_ITEM = re.compile(r"^- id: *['\"]?([A-Za-z0-9._-]+)")


def rewrite(text: str, accepted: dict[str, Accepted], proficiency: str, when: str) -> str:
    """``text`` with this rule's alignment blocks replaced by ``accepted`` (by outcome id).

    Outcomes carrying alignments from another reviewer are left as they are.
    """
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("learning_outcomes:"))
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    section = lines[start + 1 : end]
    items: list[list[str]] = []
    for line in section:
        if line.startswith("- "):
            items.append([line])
        elif items:
            items[-1].append(line)
        else:
            raise ValueError(f"unexpected line before the first outcome: {line!r}")
    out: list[str] = []
    for item in items:
        match = _ITEM.match(item[0])
        if match is None:
            raise ValueError(f"outcome without a leading id: {item[0]!r}")
        at = next((i for i, line in enumerate(item) if line.startswith("  alignments:")), None)
        if at is not None:
            if any("reviewed_by:" in line and REVIEWER not in line for line in item[at:]):
                out += item
                continue
            item = item[:at]
        out += item
        if match.group(1) in accepted:
            out += _block(accepted[match.group(1)], proficiency, when)
    return "\n".join([*lines[: start + 1], *out, *lines[end:]])


def main(argv: Sequence[str] | None = None) -> int:
    """Review every demo record and write accepted alignments; print a summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--date", default=date.today().isoformat())
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    index = index_for(load_bundled_esco())
    fusion = (rank.LEXICAL_WEIGHT, getattr(rank, "LABEL_SHARE", None))
    if index.model.model_id != RULE_MODEL or fusion != RULE_FUSION:
        print(
            f"{REVIEWER} was calibrated on model {RULE_MODEL} with fusion {RULE_FUSION}; "
            f"the ranking is now {index.model.model_id} with {fusion}: recalibrate the rule "
            "as a new version (see src/credstack/demo/ALIGNMENT_REVIEW.md)",
            file=sys.stderr,
        )
        return 2
    total = aligned = 0
    for path in demo_files():
        text = path.read_text(encoding="utf-8")
        record = MicroCredential.model_validate(yaml.safe_load(text))
        outcomes = record.learning_outcomes
        total += len(outcomes)
        depth = record.depth_of_learning.level.value if record.depth_of_learning else None
        decisions = review(index, [o.statement for o in outcomes])
        accepted: dict[str, Accepted] = {}
        for outcome, decision in zip(outcomes, decisions, strict=True):
            verdict = "-"
            if decision is not None and depth is not None:
                position, score, lex, sem, shared = decision
                competency = index.competencies[position]
                accepted[outcome.id] = Accepted(
                    outcome.id,
                    competency.uri,
                    competency.preferred_label,
                    competency.code,
                    score,
                    shared,
                )
                verdict = (
                    f"ACCEPT {competency.preferred_label!r} "
                    f"(fused {score:.3f}, bm25 {lex:.2f}, cos {sem:.3f}, shared {shared})"
                )
            elif decision is not None:
                verdict = "no depth of learning: not recorded"
            else:
                top = index.competencies[int(np.argmax(fused_top(index, outcome.statement)))]
                verdict = f"- (top was {top.preferred_label!r})"
            print(f"{path.stem} {outcome.id}: {outcome.statement!r} -> {verdict}")
        aligned += len(accepted)
        if not args.dry_run and depth is not None:
            updated = rewrite(text, accepted, PROFICIENCY[depth], args.date)
            MicroCredential.model_validate(yaml.safe_load(updated))  # never write a broken file
            if updated != text:
                path.write_text(updated, encoding="utf-8")
    print(f"aligned {aligned} of {total} outcomes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
