"""Element paths: the CIS field a rule concerns, checked against the record's model.

A path is a dotted walk through :class:`~credstack.domain.credential.MicroCredential`
fields (``learner_effort.total_hours``, ``assessment.type``, ``learning_outcomes.statement``).
A list on the way is walked item by item, so ``learning_outcomes.statement`` names every
outcome's statement. A few *derived* elements are computed from the record: ``weeks``
(from ``delivery_dates`` start and end), ``ects``, ``eqf_level`` and ``total_hours``.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential


class Kind:
    """What sort of value sits at the end of a path (what predicates may test)."""

    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    ENUM = "enum"
    DATE = "date"
    MODEL = "model"


@dataclass(frozen=True)
class Element:
    """A resolved path: its leaf kind, whether it names many values, and its enum if any."""

    path: str
    kind: str
    many: bool
    leaf_list: bool
    through_list: bool = False
    enum: type[Enum] | None = None
    model: type[BaseModel] | None = None
    derived: bool = False


def _weeks(record: MicroCredential) -> float | None:
    # The scan's "typically under 12 weeks" (Ontario) is about elapsed calendar time,
    # so weeks are measured from delivery start to end; self-paced records have none.
    dates = record.delivery_dates
    if dates is None or dates.start is None or dates.end is None:
        return None
    return ((dates.end - dates.start).days + 1) / 7


def _ects(record: MicroCredential) -> float | None:
    return record.ects


def _eqf_level(record: MicroCredential) -> int | None:
    return record.eqf_level


def _total_hours(record: MicroCredential) -> float | None:
    return record.total_hours


# Derived elements are only meaningful on the whole record (the root of a path).
DERIVED: dict[str, tuple[Element, Callable[[MicroCredential], Any]]] = {
    "weeks": (Element("weeks", Kind.NUMBER, False, False, derived=True), _weeks),
    "ects": (Element("ects", Kind.NUMBER, False, False, derived=True), _ects),
    "eqf_level": (Element("eqf_level", Kind.NUMBER, False, False, derived=True), _eqf_level),
    "total_hours": (Element("total_hours", Kind.NUMBER, False, False, derived=True), _total_hours),
}


class UnknownElement(ValueError):
    """A path that names no field of the record."""


@dataclass(frozen=True)
class Step:
    """One field on a path, and whether that field holds a list."""

    name: str
    is_list: bool


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The core type of a field annotation and whether it is a list of that type."""
    is_list = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = members[0]
        elif origin in (list, tuple, set, frozenset):
            is_list = True
            annotation = get_args(annotation)[0]
        else:
            return annotation, is_list


def _kind(annotation: Any) -> str:
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return Kind.BOOL
        if issubclass(annotation, Enum):
            return Kind.ENUM
        if issubclass(annotation, int | float | Decimal):
            return Kind.NUMBER
        if issubclass(annotation, str):
            return Kind.TEXT
        if issubclass(annotation, date):
            return Kind.DATE
        if issubclass(annotation, BaseModel):
            return Kind.MODEL
    raise UnknownElement(f"unsupported field type {annotation!r}")


@functools.cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    # Resolving a model's annotations is slow; reports walk paths once per failed rule.
    return typing.get_type_hints(model, include_extras=True)


def walk(root: type[BaseModel], path: str) -> tuple[list[Step], Element]:
    """The steps of ``path`` through ``root``'s fields and the element it names."""
    segments = path.split(".")
    if not path or any(not segment for segment in segments):
        raise UnknownElement(f"'{path}' is not a dotted field path")
    model: type[BaseModel] | None = root
    steps: list[Step] = []
    annotation: Any = root
    is_list = False
    for position, segment in enumerate(segments):
        if model is None:
            done = ".".join(segments[:position])
            raise UnknownElement(f"'{done}' has no fields, so '{path}' names nothing")
        hints = _hints(model)
        if segment not in model.model_fields:
            known = ", ".join(sorted(model.model_fields))
            where = ".".join(segments[:position]) or model.__name__
            raise UnknownElement(f"'{segment}' is not a field of {where} (fields: {known})")
        annotation, is_list = _unwrap(hints[segment])
        steps.append(Step(segment, is_list))
        model = annotation if _is_model(annotation) else None
    kind = _kind(annotation)
    element = Element(
        path=path,
        kind=kind,
        many=any(step.is_list for step in steps),
        leaf_list=is_list,
        through_list=any(step.is_list for step in steps[:-1]),
        enum=annotation if kind == Kind.ENUM else None,
        model=annotation if kind == Kind.MODEL else None,
    )
    return steps, element


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def resolve(path: str, root: type[BaseModel] = MicroCredential) -> Element:
    """The element a path names in ``root`` (the record, or a list item's model)."""
    if root is MicroCredential and path in DERIVED:
        return DERIVED[path][0]
    return walk(root, path)[1]


Getter = Callable[[Any], Any]
ManyGetter = Callable[[Any], list[Any]]


def single_getter(path: str, root: type[BaseModel] = MicroCredential) -> Getter:
    """A fast function returning the one value at ``path`` (None where a step is missing)."""
    if root is MicroCredential and path in DERIVED:
        return DERIVED[path][1]
    steps, _ = walk(root, path)
    if any(step.is_list for step in steps[:-1]):
        raise UnknownElement(f"'{path}' walks through a list; it names many values")
    names = [step.name for step in steps]
    # Unrolled for the common depths: the engine's speed comes from these closures.
    if len(names) == 1:
        (first,) = names
        return lambda obj: getattr(obj, first)
    if len(names) == 2:
        first, second = names

        def get_two(obj: Any) -> Any:
            value = getattr(obj, first)
            return None if value is None else getattr(value, second)

        return get_two

    def get_deep(obj: Any) -> Any:
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    return get_deep


def many_getter(path: str, root: type[BaseModel] = MicroCredential) -> ManyGetter:
    """A function returning every value at ``path``, lists walked item by item."""
    if root is MicroCredential and path in DERIVED:
        derive = DERIVED[path][1]

        def get_derived(obj: Any) -> list[Any]:
            value = derive(obj)
            return [] if value is None else [value]

        return get_derived
    steps, _ = walk(root, path)
    plan = [(step.name, step.is_list) for step in steps]

    def get_many(obj: Any) -> list[Any]:
        current = [obj]
        for name, is_list in plan:
            following: list[Any] = []
            for item in current:
                value = getattr(item, name)
                if value is None:
                    continue
                if is_list:
                    following.extend(value)
                else:
                    following.append(value)
            current = following
        return current

    return get_many
