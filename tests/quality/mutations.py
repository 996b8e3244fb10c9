"""Records that meet or break one rule, derived from the rule's own check.

``satisfy(check, record)`` and ``violate(check, record)`` change a record in place so
that the check holds or does not, touching only the elements the check reads. Values
come from the complete example record (the donor) or, where it has none, from samples
below. Records are changed without validation on purpose: the engine must judge what
is stated, including records a schema would have rejected (``title: ""``).

These helpers do not use the engine: tests run the engine on their output and compare.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from enum import Enum
from typing import Any

from pydantic import BaseModel

from credstack.domain.credential import (
    Alignment,
    CreditValue,
    Identifier,
    MicroCredential,
    QualificationLevel,
)
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import FRAMEWORKS, QualificationFramework
from credstack.quality.elements import Kind, resolve
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

# Parts the example record leaves empty, for checks that need one.
EXTRA_SAMPLES: dict[type[BaseModel], BaseModel] = {
    Identifier: Identifier(scheme="ror", value="https://ror.org/05w4ste42"),
    Alignment: Alignment(
        framework="ESCO", uri="http://data.europa.eu/esco/skill/S1.2.3", label="assess risk"
    ),
}
# Which record field a derived element is computed from.
DERIVED_SOURCE = {
    "weeks": "delivery_dates",
    "ects": "credits",
    "total_hours": "learner_effort",
    "eqf_level": "qualification_levels",
}


class Donor:
    """The first instance of each part in a complete record, to copy values from."""

    def __init__(self, record: MicroCredential) -> None:
        self.parts: dict[type[BaseModel], BaseModel] = dict(EXTRA_SAMPLES)
        self._collect(record)

    def _collect(self, value: Any) -> None:
        if isinstance(value, BaseModel):
            self.parts.setdefault(type(value), value)
            for name in type(value).model_fields:
                self._collect(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                self._collect(item)

    def value(self, owner: BaseModel, name: str) -> Any:
        """A non-empty value for field ``name`` of ``owner`` (deep-copied)."""
        sample = self.parts.get(type(owner))
        found = getattr(sample, name, None) if sample is not None else None
        if found not in (None, "", []):
            return copy.deepcopy(found)
        element = resolve(name, type(owner))
        return self._make(element.kind, element.leaf_list, element.enum, element.model)

    def _make(
        self, kind: str, many: bool, enum: type[Enum] | None, model: type[BaseModel] | None
    ) -> Any:
        single: Any
        if kind == Kind.MODEL and model is not None:
            single = copy.deepcopy(self.parts[model])
        elif kind == Kind.ENUM and enum is not None:
            single = next(iter(enum))
        elif kind == Kind.TEXT:
            single = "Sample statement"
        elif kind == Kind.NUMBER:
            single = 10
        elif kind == Kind.BOOL:
            single = True
        else:
            single = date(2027, 6, 30)
        return [single] if many else single


class Mutator:
    """Applies satisfy / violate to records, with values from a donor record."""

    def __init__(self, donor: MicroCredential) -> None:
        self.donor = Donor(donor)

    # --- walking paths -------------------------------------------------------------

    def owners(self, obj: BaseModel, path: str, create: bool) -> list[BaseModel]:
        """The parts holding the last field of ``path`` (created from the donor if asked)."""
        *steps, _ = path.split(".")
        current: list[BaseModel] = [obj]
        for name in steps:
            following: list[BaseModel] = []
            for owner in current:
                value = getattr(owner, name)
                if value in (None, []) and create:
                    value = self.donor.value(owner, name)
                    setattr(owner, name, value)
                if value is None:
                    continue
                following.extend(value if isinstance(value, list) else [value])
            current = following
        return current

    def set(self, obj: BaseModel, path: str, value: Any, create: bool = True) -> None:
        """Set the field at ``path`` on every part that holds it."""
        last = path.split(".")[-1]
        for owner in self.owners(obj, path, create):
            setattr(owner, last, copy.deepcopy(value))

    def fill(self, obj: BaseModel, path: str) -> None:
        """Give the field at ``path`` a non-empty value where it has none."""
        last = path.split(".")[-1]
        for owner in self.owners(obj, path, create=True):
            if getattr(owner, last) in (None, "", []):
                setattr(owner, last, self.donor.value(owner, last))

    def empty(self, obj: BaseModel, path: str) -> None:
        """Make the field at ``path`` empty: "" for text, [] for lists, None otherwise."""
        element = resolve(path, type(obj))
        blank: Any = [] if element.leaf_list else ("" if element.kind == Kind.TEXT else None)
        self.set(obj, path, blank, create=False)

    # --- the predicates ------------------------------------------------------------

    def satisfy(self, check: Check, obj: BaseModel) -> None:
        """Change ``obj`` so that ``check`` holds."""
        match check:
            case Present(path):
                self.fill(obj, path)
            case Stated(path):
                self.fill(obj, path)
            case Number(path, bounds):
                self._number(obj, path, inside(bounds))
            case Credits(system, bounds, _):
                obj.credits = [CreditValue.model_construct(system=system, value=inside(bounds))]
            case Level(framework, low, _):
                obj.qualification_levels = [level(framework, low)]
            case OneOf(path, values, _):
                self._one_of(obj, path, values, member=True)
            case Count(path, low, _):
                self._count(obj, path, max(low, 1))
            case When(condition, then):
                self.satisfy(condition, obj)
                self.satisfy(then, obj)
            case AllOf(checks):
                for child in checks:
                    self.satisfy(child, obj)
            case AnyOf(checks):
                self.satisfy(checks[0], obj)
            case Each(path, _, inner):
                self.fill(obj, path)
                for item in self._items(obj, path):
                    self.satisfy(inner, item)

    def violate(self, check: Check, obj: BaseModel, inside_any: bool = False) -> None:
        """Change ``obj`` so that ``check`` does not hold (its condition, if any, does)."""
        match check:
            case Present(path):
                self.empty(obj, path)
            case Stated(path):
                self.set(obj, path, None, create=False)
            case Number(path, bounds):
                self._number(obj, path, outside(bounds))
            case Credits(system, bounds, _):
                value = outside(bounds)
                obj.credits = (
                    [] if value is None or inside_any
                    else [CreditValue.model_construct(system=system, value=value)]
                )
            case Level(framework, low, high):
                wrong = [n for n in FRAMEWORKS[framework].levels if not low <= n <= high]
                obj.qualification_levels = (
                    [level(framework, wrong[0])] if wrong and not inside_any else []
                )
            case OneOf(path, values, _):
                self._one_of(obj, path, values, member=False)
            case Count(path, low, _):
                self._count(obj, path, low - 1)
            case When(condition, then):
                self.satisfy(condition, obj)
                self.violate(then, obj, inside_any)
            case AllOf(checks):
                for child in checks:
                    self.satisfy(child, obj)
                self.violate(checks[0], obj, inside_any)
            case AnyOf(checks):
                for child in checks:
                    self.violate(child, obj, inside_any=True)
            case Each(path, _, inner):
                self.fill(obj, path)
                items = self._items(obj, path)
                for item in items:
                    self.satisfy(inner, item)
                self.violate(inner, items[0], inside_any)

    def make_inapplicable(self, check: When, obj: BaseModel) -> None:
        """Change ``obj`` so that the condition of ``check`` does not hold."""
        self.violate(check.condition, obj)

    # --- helpers -------------------------------------------------------------------

    def _items(self, obj: BaseModel, path: str) -> list[BaseModel]:
        last = path.split(".")[-1]
        items: list[BaseModel] = []
        for owner in self.owners(obj, path, create=True):
            items.extend(getattr(owner, last) or [])
        return items

    def _number(self, obj: BaseModel, path: str, value: float | None) -> None:
        if path == "weeks":
            assert isinstance(obj, MicroCredential)
            self.fill(obj, "delivery_dates")
            dates = obj.delivery_dates
            assert dates is not None
            dates.self_paced = False
            dates.start = date(2026, 1, 5)
            days = None if value is None else round(value * 7) - 1
            dates.end = None if days is None else dates.start + timedelta(days=days)
        elif path == "ects":
            ects = CreditValue.model_construct(system=CreditSystem.ECTS, value=value)
            obj.credits = [] if value is None else [ects]
        elif path == "eqf_level":
            obj.qualification_levels = (
                [] if value is None else [level(QualificationFramework.EQF, int(value))]
            )
        elif path == "total_hours":
            self._number(obj, "learner_effort.total_hours", value)
        elif value is None:
            self.empty(obj, path)
        else:
            self.set(obj, path, value)

    def _one_of(self, obj: BaseModel, path: str, values: frozenset[Any], member: bool) -> None:
        element = resolve(path, type(obj))
        chosen: Any
        if member:
            chosen = sorted(values, key=str)[0]
        elif element.kind == Kind.ENUM and element.enum is not None:
            others = [item for item in element.enum if item not in values]
            chosen = others[0] if others else None
        elif element.kind == Kind.BOOL:
            others = [item for item in (True, False) if item not in values]
            chosen = others[0] if others else None
        else:
            chosen = "something else"
        if element.kind == Kind.TEXT and element.leaf_list and member:
            last = path.split(".")[-1]
            for owner in self.owners(obj, path, create=True):
                current = list(getattr(owner, last) or [])
                if chosen not in (value.casefold() for value in current):
                    current.append(chosen)
                setattr(owner, last, current)
            return
        if chosen is None:
            self.empty(obj, path)
        else:
            self.set(obj, path, [chosen] if element.leaf_list else chosen)

    def _count(self, obj: BaseModel, path: str, size: int) -> None:
        element = resolve(path, type(obj))
        last = path.split(".")[-1]
        owners = self.owners(obj, path, create=size > 0)
        for index, owner in enumerate(owners):
            current = list(getattr(owner, last) or [])
            if not current and size > 0:
                current = list(self.donor.value(owner, last))
            wanted = size if (index == 0 or not element.through_list) else 0
            while len(current) < wanted:
                current.append(copy.deepcopy(current[-1]))
            setattr(owner, last, current[:wanted] if len(current) > wanted else current)
            if size > 0 and element.through_list:
                # One holder with enough is what "at least n across the list" needs.
                break


def level(framework: QualificationFramework, value: int) -> QualificationLevel:
    """A qualification level built without the schema's checks."""
    return QualificationLevel.model_construct(framework=framework, level=value)


def inside(bounds: Bounds) -> float:
    """A value within ``bounds``."""
    low = bounds.min if bounds.min is not None else bounds.above
    high = bounds.max if bounds.max is not None else bounds.below
    if low is not None and high is not None:
        value = (low + high) / 2
    elif low is not None:
        value = low + 1
    elif high is not None:
        value = high / 2
    else:  # pragma: no cover - the loader rejects bounds without limits
        value = 1.0
    assert bounds.contains(value), (bounds, value)
    return value


def outside(bounds: Bounds) -> float | None:
    """A non-negative value outside ``bounds``, or None where only "not stated" is outside."""
    if bounds.max is not None:
        return bounds.max + 1
    if bounds.below is not None:
        return bounds.below
    if bounds.min is not None and bounds.min > 0:
        return bounds.min / 2
    if bounds.above is not None:
        return bounds.above
    return None
