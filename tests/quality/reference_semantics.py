"""Checks as closures: the reference semantics of every predicate, for the tests.

A compiled check maps a record (or a list item) to ``True`` (met), ``False`` (not met)
or ``None`` (does not apply). The engine evaluates whole rule sets through generated
code (:mod:`credstack.quality.codegen`); these closures state the same meaning one
predicate at a time, and ``test_engine`` holds the two to agreement on every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential
from credstack.domain.levels import QualificationFramework
from credstack.quality.elements import Kind, many_getter, resolve, single_getter
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

Compiled = Callable[[Any], bool | None]


def _non_empty(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _in_bounds(bounds: Bounds) -> Callable[[float], bool]:
    # Specialised comparisons: the common shapes avoid the general four-way test.
    low, high, above, below = bounds.min, bounds.max, bounds.above, bounds.below
    if above is None and below is None:
        if low is not None and high is not None:
            return lambda value: low <= value <= high
        if low is not None:
            return lambda value: value >= low
        if high is not None:
            return lambda value: value <= high
    return bounds.contains


def _uses_many(path: str, root: type[BaseModel]) -> bool:
    return resolve(path, root).through_list


def _present(check: Present, root: type[BaseModel]) -> Compiled:
    if _uses_many(check.element, root):
        get_many = many_getter(check.element, root)
        return lambda obj: any(_non_empty(value) for value in get_many(obj))
    get = single_getter(check.element, root)

    def present(obj: Any) -> bool:
        value = get(obj)
        return value is not None and value != "" and value != []

    return present


def _stated(check: Stated, root: type[BaseModel]) -> Compiled:
    if _uses_many(check.element, root):
        get_many = many_getter(check.element, root)
        return lambda obj: len(get_many(obj)) > 0
    get = single_getter(check.element, root)
    return lambda obj: get(obj) is not None


def _number(check: Number, root: type[BaseModel]) -> Compiled:
    get = single_getter(check.element, root)
    within = _in_bounds(check.bounds)

    def number(obj: Any) -> bool:
        value = get(obj)
        return value is not None and within(value)

    return number


def _credits(check: Credits) -> Compiled:
    system, stated_only = check.system, check.stated_only
    within = _in_bounds(check.bounds)

    def credits(record: MicroCredential) -> bool:
        value = credit_value(record, system, stated_only)
        return value is not None and within(value)

    return credits


def _level(check: Level) -> Compiled:
    framework, low, high = check.framework, check.min, check.max
    if framework is QualificationFramework.EQF:
        eqf = EQF_CROSSWALK

        def eqf_level(record: MicroCredential) -> bool:
            for stated in record.qualification_levels:
                level = eqf.get((stated.framework, stated.level))
                if level is not None and low <= level <= high:
                    return True
            return False

        return eqf_level

    def level(record: MicroCredential) -> bool:
        for stated in record.qualification_levels:
            if stated.framework is framework and low <= stated.level <= high:
                return True
        return False

    return level


def _casefolded(get: Callable[[Any], list[Any]]) -> Callable[[Any], list[Any]]:
    return lambda obj: [value.casefold() for value in get(obj)]


def _one_of(check: OneOf, root: type[BaseModel]) -> Compiled:
    allowed, every = check.values, check.all
    element = resolve(check.element, root)
    if element.kind == Kind.TEXT:
        get_text = _casefolded(many_getter(check.element, root))
        if every:
            return lambda obj: bool(found := get_text(obj)) and all(v in allowed for v in found)
        return lambda obj: any(value in allowed for value in get_text(obj))
    if element.many:
        get_many = many_getter(check.element, root)
        if every:
            return lambda obj: bool(found := get_many(obj)) and all(v in allowed for v in found)
        return lambda obj: any(value in allowed for value in get_many(obj))
    get = single_getter(check.element, root)
    return lambda obj: get(obj) in allowed


def _count(check: Count, root: type[BaseModel]) -> Compiled:
    low, high = check.min, check.max
    if _uses_many(check.element, root):
        get_many = many_getter(check.element, root)

        def size_many(obj: Any) -> int:
            return len(get_many(obj))

        size = size_many
    else:
        get = single_getter(check.element, root)

        def size_single(obj: Any) -> int:
            value = get(obj)
            return 0 if value is None else len(value)

        size = size_single
    if high is None:
        return lambda obj: size(obj) >= low
    return lambda obj: low <= size(obj) <= high


def _when(check: When, root: type[BaseModel]) -> Compiled:
    condition, then = compile_check(check.condition, root), compile_check(check.then, root)

    def when(obj: Any) -> bool | None:
        return then(obj) if condition(obj) else None

    return when


def _all_of(checks: list[Compiled]) -> Compiled:
    def all_of(obj: Any) -> bool | None:
        result: bool | None = None
        for check in checks:
            outcome = check(obj)
            if outcome is False:
                return False
            if outcome:
                result = True
        return result

    return all_of


def _any_of(checks: list[Compiled]) -> Compiled:
    def any_of(obj: Any) -> bool | None:
        result: bool | None = None
        for check in checks:
            outcome = check(obj)
            if outcome:
                return True
            if outcome is False:
                result = False
        return result

    return any_of


def _each(check: Each, root: type[BaseModel]) -> Compiled:
    get_many = many_getter(check.element, root)
    inner = _all_of([compile_check(check.check, check.item_model)])

    def each(obj: Any) -> bool | None:
        result: bool | None = None
        for item in get_many(obj):
            outcome = inner(item)
            if outcome is False:
                return False
            if outcome:
                result = True
        return result

    return each


def compile_check(check: Check, root: type[BaseModel] = MicroCredential) -> Compiled:
    """A closure evaluating ``check`` on an instance of ``root``."""
    match check:
        case Present():
            return _present(check, root)
        case Stated():
            return _stated(check, root)
        case Number():
            return _number(check, root)
        case Credits():
            return _credits(check)
        case Level():
            return _level(check)
        case OneOf():
            return _one_of(check, root)
        case Count():
            return _count(check, root)
        case When():
            return _when(check, root)
        case AllOf(checks):
            return _all_of([compile_check(child, root) for child in checks])
        case AnyOf(checks):
            return _any_of([compile_check(child, root) for child in checks])
        case Each():
            return _each(check, root)
    raise TypeError(f"not a check: {check!r}")
