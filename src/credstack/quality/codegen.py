"""Compile a whole rule set into one Python function, generated once per rule set.

Each rule's check becomes an inline expression over the record's attributes, so
evaluating a record costs about what a hand-written function would (``bench/quality.py``
measures both). Only validated field names (Python identifiers taken from the pydantic
model) are written into the source; every value - enum members, numbers, text, helper
functions - is passed in the namespace under a generated name, never as source text.

Tri-state results: an expression yields ``True`` (met), ``False`` (not met) or, where a
``when`` or ``each`` is involved, ``None`` (does not apply). Expressions that can never
be ``None`` use plain ``and`` / ``or``; the others go through small helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential
from credstack.domain.levels import QualificationFramework
from credstack.quality.elements import DERIVED, Kind, walk
from credstack.quality.model import Outcome, Rule, Severity
from credstack.quality.predicates import (
    AllOf,
    AnyOf,
    Bounds,
    Check,
    Count,
    Credits,
    Each,
    Level,
    Number,
    OneOf,
    Present,
    Stated,
    When,
)
from credstack.quality.values import EQF_CROSSWALK, credit_value

Evaluator = Callable[[MicroCredential], tuple[Outcome, ...]]


def _all3(results: Iterable[bool | None]) -> bool | None:
    """All of: False if any is False, None if all are None, else True."""
    outcome: bool | None = None
    for result in results:
        if result is False:
            return False
        if result:
            outcome = True
    return outcome


def _any3(results: Iterable[bool | None]) -> bool | None:
    """Any of: True if any is True, None if all are None, else False."""
    outcome: bool | None = None
    for result in results:
        if result:
            return True
        if result is False:
            outcome = False
    return outcome


def _nonempty(value: Any) -> bool:
    return value is not None and value != "" and value != []


@dataclass
class _Expr:
    source: str
    tristate: bool = False


@dataclass
class _Writer:
    """Builds source text and the namespace of constants it refers to."""

    namespace: dict[str, Any] = field(default_factory=dict)
    counter: int = 0

    def constant(self, value: Any) -> str:
        name = f"_k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def temp(self) -> str:
        self.counter += 1
        return f"_t{self.counter}"

    # --- paths ---------------------------------------------------------------------

    def single(self, root: str, path: str, model: type[BaseModel]) -> str:
        """An expression for the one value at ``path`` (None where a step is missing)."""
        if model is MicroCredential and path in DERIVED:
            return f"{self.constant(DERIVED[path][1])}({root})"
        steps, _ = walk(model, path)
        expression = f"{root}.{steps[0].name}"
        for step in steps[1:]:
            holder = self.temp()
            expression = f"(None if ({holder} := {expression}) is None else {holder}.{step.name})"
        return expression

    def many(self, root: str, path: str, model: type[BaseModel]) -> tuple[str, str]:
        """Comprehension clauses over every value at ``path``, and the value's variable."""
        if model is MicroCredential and path in DERIVED:
            value = self.temp()
            derive = self.constant(DERIVED[path][1])
            return f"for {value} in ({derive}({root}),) if {value} is not None", value
        steps, _ = walk(model, path)
        clauses = []
        current = root
        for step in steps:
            value = self.temp()
            if step.is_list:
                clauses.append(f"for {value} in ({current}.{step.name} or ())")
            else:
                clauses.append(
                    f"for {value} in ({current}.{step.name},) if {value} is not None"
                )
            current = value
        return " ".join(clauses), current

    # --- predicates ----------------------------------------------------------------

    def bounds(self, value: str, bounds: Bounds) -> str:
        parts = []
        for limit, operator in (
            (bounds.min, ">="), (bounds.above, ">"), (bounds.max, "<="), (bounds.below, "<"),
        ):
            if limit is not None:
                parts.append(f"{value} {operator} {self.constant(limit)}")
        return " and ".join(parts)

    def check(self, check: Check, root: str, model: type[BaseModel]) -> _Expr:
        match check:
            case Present(path) | Stated(path):
                return self._presence(check, path, root, model)
            case Number(path, bounds):
                value = self.temp()
                source = self.single(root, path, model)
                within = self.bounds(value, bounds)
                return _Expr(f"(({value} := {source}) is not None and {within})")
            case Credits(system, bounds, stated_only):
                value = self.temp()
                call = (
                    f"{self.constant(credit_value)}({root}, {self.constant(system)}, "
                    f"{stated_only!r})"
                )
                within = self.bounds(value, bounds)
                return _Expr(f"(({value} := {call}) is not None and {within})")
            case Level(framework, low, high):
                return self._level(framework, low, high, root)
            case OneOf(path, values, every):
                return self._one_of(path, values, every, root, model)
            case Count(path, low, high):
                return self._count(path, low, high, root, model)
            case When(condition, then):
                test = self.check(condition, root, model)
                result = self.check(then, root, model)
                return _Expr(f"({result.source} if {test.source} else None)", tristate=True)
            case AllOf(checks) | AnyOf(checks):
                return self._group(check, checks, root, model)
            case Each(path, item_model, inner):
                clauses, item = self.many(root, path, model)
                body = self.check(inner, item, item_model)
                return _Expr(
                    f"{self.constant(_all3)}({body.source} {clauses})", tristate=True
                )
        raise TypeError(f"not a check: {check!r}")

    def _presence(
        self, check: Present | Stated, path: str, root: str, model: type[BaseModel]
    ) -> _Expr:
        element = (
            DERIVED[path][0] if model is MicroCredential and path in DERIVED
            else walk(model, path)[1]
        )
        if element.through_list:
            clauses, value = self.many(root, path, model)
            if isinstance(check, Stated):
                return _Expr(f"any(True {clauses})")
            return _Expr(f"any({self.constant(_nonempty)}({value}) {clauses})")
        value = self.temp()
        source = self.single(root, path, model)
        if isinstance(check, Stated):
            return _Expr(f"({source} is not None)")
        return _Expr(
            f"(({value} := {source}) is not None and {value} != '' and {value} != [])"
        )

    def _level(
        self, framework: QualificationFramework, low: int, high: int, root: str
    ) -> _Expr:
        stated = self.temp()
        low_name, high_name = self.constant(low), self.constant(high)
        if framework is QualificationFramework.EQF:
            crosswalk = self.constant(EQF_CROSSWALK)
            # Levels start at 1, so 0 stands for "no published crosswalk".
            test = (
                f"{low_name} <= {crosswalk}.get(({stated}.framework, {stated}.level), 0) "
                f"<= {high_name}"
            )
        else:
            test = (
                f"{stated}.framework is {self.constant(framework)} and "
                f"{low_name} <= {stated}.level <= {high_name}"
            )
        return _Expr(f"any({test} for {stated} in {root}.qualification_levels)")

    def _one_of(
        self, path: str, values: frozenset[Any], every: bool, root: str, model: type[BaseModel]
    ) -> _Expr:
        allowed = self.constant(values)
        element = walk(model, path)[1]
        if element.kind == Kind.TEXT or element.many:
            clauses, value = self.many(root, path, model)
            test = f"{value}.casefold() in {allowed}" if element.kind == Kind.TEXT else (
                f"{value} in {allowed}"
            )
            if every:
                found = self.temp()
                return _Expr(
                    f"(bool({found} := [{test} {clauses}]) and all({found}))"
                )
            return _Expr(f"any({test} {clauses})")
        return _Expr(f"({self.single(root, path, model)} in {allowed})")

    def _count(
        self, path: str, low: int, high: int | None, root: str, model: type[BaseModel]
    ) -> _Expr:
        element = walk(model, path)[1]
        if element.through_list:
            clauses, _ = self.many(root, path, model)
            size = f"sum(1 {clauses})"
        else:
            size = f"len({self.single(root, path, model)} or ())"
        upper = f" <= {self.constant(high)}" if high is not None else ""
        return _Expr(f"({self.constant(low)} <= {size}{upper})")

    def _group(
        self, check: AllOf | AnyOf, checks: tuple[Check, ...], root: str, model: type[BaseModel]
    ) -> _Expr:
        parts = [self.check(child, root, model) for child in checks]
        if not any(part.tristate for part in parts):
            joiner = " and " if isinstance(check, AllOf) else " or "
            return _Expr("(" + joiner.join(part.source for part in parts) + ")")
        helper = self.constant(_all3 if isinstance(check, AllOf) else _any3)
        # A tuple evaluates every branch; tri-state groups are rare and small.
        return _Expr(f"{helper}(({', '.join(part.source for part in parts)},))", tristate=True)


_FAILED = {
    Severity.REQUIRED: Outcome.FAIL,
    Severity.RECOMMENDED: Outcome.WARNING,
    Severity.INFO: Outcome.WARNING,
}


def generate(rules: tuple[Rule, ...]) -> tuple[str, dict[str, Any]]:
    """The source of ``evaluate(record)`` for ``rules`` and the namespace it needs."""
    writer = _Writer()
    passed = writer.constant(Outcome.PASS)
    not_applicable = writer.constant(Outcome.NOT_APPLICABLE)
    lines = ["def evaluate(record):"]
    names = []
    for index, rule in enumerate(rules):
        expression = writer.check(rule.check, "record", MicroCredential)
        failed = writer.constant(_FAILED[rule.severity])
        name = f"_o{index}"
        names.append(name)
        lines.append(f"    # {rule.key}")
        if expression.tristate:
            met = writer.temp()
            lines.append(
                f"    {name} = {passed} if ({met} := {expression.source}) else "
                f"({not_applicable} if {met} is None else {failed})"
            )
        else:
            lines.append(f"    {name} = {passed} if {expression.source} else {failed}")
    lines.append(f"    return ({''.join(f'{name}, ' for name in names)})")
    return "\n".join(lines) + "\n", writer.namespace


def build(rules: tuple[Rule, ...]) -> tuple[Evaluator, str]:
    """The generated evaluator of ``rules`` and its source (for inspection)."""
    source, namespace = generate(rules)
    code = compile(source, "<credstack rule set>", "exec")
    exec(code, namespace)  # the source holds only validated field names and generated names
    evaluator: Evaluator = namespace["evaluate"]
    return evaluator, source
