"""Read rule sets from YAML, validate them, and resolve ``extends`` and severity overrides.

A malformed set (unknown predicate, unknown element, bad range, a cycle in ``extends``,
an override of a rule that is not inherited) raises :class:`RuleSetError` naming the
file, the rule id and the reason, for every problem found, not only the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from credstack.errors import InvalidInput, NotFound, Problem
from credstack.quality.elements import UnknownElement, resolve
from credstack.quality.model import Rule, RuleSet, Severity, Source
from credstack.quality.predicates import CheckError, elements_of, parse_check
from credstack.registry.files import read_data

SHIPPED_DIR = Path(__file__).resolve().parent / "rules"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_TOP_KEYS = {
    "id", "name", "jurisdiction", "version", "source", "description",
    "extends", "overrides", "rules",
}
_RULE_KEYS = {"id", "elements", "severity", "check", "message", "citation"}
_SEVERITIES = [severity.value for severity in Severity]


class RuleSetError(InvalidInput):
    """A rule set that cannot be used; each problem names file, rule id and reason."""


@dataclass(frozen=True)
class _Spec:
    """A rule set as written in one file, before ``extends`` is resolved."""

    path: Path
    id: str
    name: str
    jurisdiction: str
    version: str
    source: Source
    description: str
    extends: tuple[str, ...]
    overrides: dict[str, str]
    rules: tuple[Rule, ...]


class _FileReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message, str(self.path)))

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where}{key}", "expected non-empty text")
            return ""
        return value.strip()

    def read(self) -> _Spec:
        try:
            data = read_data(self.path, syntax=".yaml")
        except InvalidInput as error:
            raise RuleSetError(error.problems) from None
        if not isinstance(data, dict):
            raise RuleSetError([Problem("", "a rule set is a YAML mapping", str(self.path))])
        for key in sorted(set(data) - _TOP_KEYS, key=str):
            self.problem(str(key), f"unknown key (expected: {', '.join(sorted(_TOP_KEYS))})")
        set_id = self.text(data, "id", "")
        if set_id and not ID_PATTERN.match(set_id):
            self.problem("id", f"'{set_id}' is not a rule set id (lowercase letters, digits, -._)")
        spec = _Spec(
            path=self.path,
            id=set_id,
            name=self.text(data, "name", ""),
            jurisdiction=self.text(data, "jurisdiction", ""),
            version=self.text(data, "version", ""),
            source=self._source(data.get("source")),
            description=self.text(data, "description", "", required=False),
            extends=self._extends(data.get("extends", [])),
            overrides=self._overrides(data.get("overrides", {})),
            rules=self._rules(data.get("rules", []), set_id),
        )
        if not data.get("rules") and not spec.extends:
            self.problem("rules", "a rule set needs rules or extends")
        if self.problems:
            raise RuleSetError(self.problems)
        return spec

    def _source(self, data: Any) -> Source:
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            self.problem("source", "expected a mapping with title (and url, scan)")
            return Source("")
        unknown = set(data) - {"title", "url", "scan"}
        if unknown:
            self.problem("source", f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        return Source(data["title"], data.get("url"), data.get("scan"))

    def _extends(self, data: Any) -> tuple[str, ...]:
        if isinstance(data, str):
            data = [data]
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            self.problem("extends", "expected a list of rule set ids")
            return ()
        return tuple(data)

    def _overrides(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            self.problem("overrides", "expected a mapping of rule key to severity")
            return {}
        for key, value in data.items():
            if value not in _SEVERITIES:
                self.problem(
                    f"overrides.{key}",
                    f"unknown severity {value!r} (expected {', '.join(_SEVERITIES)})",
                )
        return {str(key): str(value) for key, value in data.items()}

    def _rules(self, data: Any, set_id: str) -> tuple[Rule, ...]:
        if not isinstance(data, list):
            self.problem("rules", "expected a list of rules")
            return ()
        rules: list[Rule] = []
        seen: set[str] = set()
        for index, item in enumerate(data):
            rule = self._rule(item, index, set_id, seen)
            if rule is not None:
                rules.append(rule)
        return tuple(rules)

    def _rule(self, data: Any, index: int, set_id: str, seen: set[str]) -> Rule | None:
        if not isinstance(data, dict):
            self.problem(f"rules[{index}]", "a rule is a mapping")
            return None
        rule_id = data.get("id")
        where = f"rule '{rule_id}'" if isinstance(rule_id, str) else f"rules[{index}]"
        before = len(self.problems)
        if not isinstance(rule_id, str) or not ID_PATTERN.match(rule_id):
            self.problem(f"{where}: id", "expected a rule id (lowercase letters, digits, -._)")
        elif rule_id in seen:
            self.problem(f"{where}: id", "the same rule id is used twice in this set")
        else:
            seen.add(rule_id)
        for key in sorted(set(data) - _RULE_KEYS, key=str):
            expected = ", ".join(sorted(_RULE_KEYS))
            self.problem(f"{where}: {key}", f"unknown key (expected: {expected})")
        severity = data.get("severity")
        if severity not in _SEVERITIES:
            self.problem(
                f"{where}: severity",
                f"unknown severity {severity!r} (expected {', '.join(_SEVERITIES)})",
            )
        message = self.text(data, "message", f"{where}: ")
        citation = self.text(data, "citation", f"{where}: ")
        check = None
        try:
            check = parse_check(data.get("check"), "check")
        except CheckError as error:
            for problem in error.problems:
                self.problem(f"{where}: {problem.location}", problem.message)
        elements = self._elements(data.get("elements"), where)
        if len(self.problems) > before or check is None:
            return None
        return Rule(
            id=str(rule_id),
            origin=set_id,
            elements=elements or tuple(elements_of(check)),
            severity=Severity(str(severity)),
            check=check,
            message=message,
            citation=citation,
        )

    def _elements(self, data: Any, where: str) -> tuple[str, ...]:
        if data is None:
            return ()
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            self.problem(f"{where}: elements", "expected a list of element paths")
            return ()
        for path in data:
            try:
                resolve(path)
            except UnknownElement as error:
                self.problem(f"{where}: elements", f"unknown element: {error}")
        return tuple(data)


def read_spec(path: Path) -> _Spec:
    """One file's rule set as written (``extends`` not resolved); raises RuleSetError."""
    return _FileReader(path).read()


def _locate(ref: str, near: Path | None) -> Path:
    """The file of rule set ``ref``: beside the extending file, else a shipped set."""
    candidates = [near / f"{ref}.yaml"] if near is not None else []
    candidates.append(SHIPPED_DIR / f"{ref}.yaml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(ref)


def _resolve(spec: _Spec, chain: tuple[str, ...]) -> RuleSet:
    problems: list[Problem] = []
    inherited: dict[str, Rule] = {}
    for parent_id in spec.extends:
        if parent_id in chain or parent_id == spec.id:
            cycle = " -> ".join((*chain, spec.id, parent_id))
            problems.append(Problem("extends", f"cycle in extends: {cycle}", str(spec.path)))
            continue
        try:
            parent_path = _locate(parent_id, spec.path.parent)
        except FileNotFoundError:
            problems.append(
                Problem("extends", f"unknown rule set '{parent_id}'", str(spec.path))
            )
            continue
        parent = _resolve(read_spec(parent_path), (*chain, spec.id))
        for rule in parent.rules:
            inherited.setdefault(rule.key, rule)
    overrides = _apply_overrides(spec, inherited, problems)
    if problems:
        raise RuleSetError(problems)
    return RuleSet(
        id=spec.id,
        name=spec.name,
        jurisdiction=spec.jurisdiction,
        version=spec.version,
        source=spec.source,
        description=spec.description,
        extends=spec.extends,
        rules=(*inherited.values(), *spec.rules),
        path=spec.path,
        overrides=overrides,
    )


def _apply_overrides(
    spec: _Spec, inherited: dict[str, Rule], problems: list[Problem]
) -> dict[str, Severity]:
    applied: dict[str, Severity] = {}
    for reference, severity in spec.overrides.items():
        if ":" in reference:
            keys = [reference] if reference in inherited else []
        else:
            keys = [key for key, rule in inherited.items() if rule.id == reference]
        if len(keys) != 1:
            reason = "matches several inherited rules" if keys else "is not an inherited rule"
            problems.append(Problem(f"overrides.{reference}", reason, str(spec.path)))
            continue
        (key,) = keys
        inherited[key] = replace(inherited[key], severity=Severity(severity))
        applied[key] = Severity(severity)
    return applied


def load_file(path: Path) -> RuleSet:
    """The rule set in ``path`` with everything it extends; raises RuleSetError."""
    path = Path(path)
    if not path.is_file():
        raise RuleSetError([Problem("", "no such rule set file", str(path))])
    return _resolve(read_spec(path), ())


def shipped_ids() -> list[str]:
    """Ids of the rule sets that ship with credstack, sorted."""
    return sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml"))


@cache
def shipped(rule_set_id: str) -> RuleSet:
    """A shipped rule set by id (read once per process); raises NotFound."""
    if rule_set_id not in shipped_ids():
        known = ", ".join(shipped_ids())
        raise NotFound(f"unknown framework '{rule_set_id}' (known: {known}; or give a YAML file)")
    return load_file(SHIPPED_DIR / f"{rule_set_id}.yaml")


def looks_like_path(reference: str) -> bool:
    """Whether a framework reference names a file rather than a shipped id."""
    return reference.endswith((".yaml", ".yml")) or "/" in reference or "\\" in reference


def get_rule_set(reference: str) -> RuleSet:
    """A rule set by shipped id or by YAML file path."""
    if looks_like_path(reference):
        return load_file(Path(reference))
    return shipped(reference)
