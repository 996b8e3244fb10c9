"""The predicate vocabulary of rule sets: a small, typed language of checks.

In YAML a check is a mapping with exactly one key, the predicate's name::

    present: learner_effort                      # given and not empty
    stated: inherent_requirements                # given, an explicit empty list allowed
    number: {element: weeks, below: 12}          # min / max inclusive, above / below exclusive
    credits: {system: ects, min: 1, max: 30}     # volume in a credit system
    level: {framework: nfq_ie, min: 6, max: 9}   # a qualification level within a range
    one_of: {element: assessment.type, values: [competency]}
    count: {element: learning_outcomes, min: 3}
    when: {if: <check>, then: <check>}           # not applicable when the condition fails
    all_of: [<check>, ...]
    any_of: [<check>, ...]
    each: {element: credit_recognition, check: <check on each item>}

:func:`parse_check` turns that data into the dataclasses below and validates every
element path against the record's model, every value against its vocabulary and every
range against its framework, reporting each problem with its location.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import FRAMEWORKS, QualificationFramework
from credstack.errors import Problem
from credstack.quality.elements import Element, Kind, UnknownElement, resolve


@dataclass(frozen=True)
class Present:
    """The element is given and not empty (no empty text, list or missing part)."""

    element: str


@dataclass(frozen=True)
class Stated:
    """The element is given; an explicit empty list ("none") counts as stated."""

    element: str


@dataclass(frozen=True)
class Bounds:
    """Numeric bounds: ``min`` / ``max`` inclusive, ``above`` / ``below`` exclusive."""

    min: float | None = None
    max: float | None = None
    above: float | None = None
    below: float | None = None

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within every bound given."""
        return not (
            (self.min is not None and value < self.min)
            or (self.max is not None and value > self.max)
            or (self.above is not None and value <= self.above)
            or (self.below is not None and value >= self.below)
        )

    def describe(self) -> str:
        """The bounds in words, e.g. 'at least 1 and below 600'."""
        parts = []
        if self.min is not None:
            parts.append(f"at least {self.min:g}")
        if self.above is not None:
            parts.append(f"above {self.above:g}")
        if self.max is not None:
            parts.append(f"at most {self.max:g}")
        if self.below is not None:
            parts.append(f"below {self.below:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class Number:
    """A numeric element (hours, weeks, ECTS) lies within bounds."""

    element: str
    bounds: Bounds


@dataclass(frozen=True)
class Credits:
    """The volume in a credit system lies within bounds.

    The value is the one stated in ``system``; unless ``stated_only``, otherwise the
    conversion of another stated credit value, otherwise of ``learner_effort.total_hours``,
    through the published hour equivalences (:mod:`credstack.domain.credits`).
    """

    system: CreditSystem
    bounds: Bounds
    stated_only: bool = False


@dataclass(frozen=True)
class Level:
    """A stated qualification level in ``framework`` lies in [min, max].

    For the EQF, a level stated in another framework counts through its published
    crosswalk (:func:`credstack.domain.levels.to_eqf`).
    """

    framework: QualificationFramework
    min: int
    max: int


@dataclass(frozen=True)
class OneOf:
    """The element's value is one of ``values`` (for many values: any, or all with ``all``).

    Text is compared without regard to case; enum values must be in the vocabulary.
    """

    element: str
    values: frozenset[Any]
    all: bool = False


@dataclass(frozen=True)
class Count:
    """The element names at least ``min`` (and at most ``max``) values."""

    element: str
    min: int
    max: int | None = None


@dataclass(frozen=True)
class When:
    """If ``condition`` holds then ``then`` must; otherwise the rule does not apply."""

    condition: Check
    then: Check


@dataclass(frozen=True)
class AllOf:
    """Every check holds."""

    checks: tuple[Check, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one check holds."""

    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Each:
    """Every item of a list element satisfies ``check`` (paths relative to the item)."""

    element: str
    item_model: type[BaseModel]
    check: Check


Check = Present | Stated | Number | Credits | Level | OneOf | Count | When | AllOf | AnyOf | Each

PREDICATES = (
    "present", "stated", "number", "credits", "level", "one_of", "count",
    "when", "all_of", "any_of", "each",
)


class CheckError(Exception):
    """Problems found while reading a check; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


class _Reader:
    """Reads check data, collecting problems rather than stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def check(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        if not isinstance(data, dict) or len(data) != 1:
            names = ", ".join(PREDICATES)
            self.problem(where, f"a check is a mapping with one predicate ({names})")
            return None
        ((name, argument),) = data.items()
        reader = getattr(self, f"_{name}", None) if name in PREDICATES else None
        if reader is None:
            self.problem(
                f"{where}.{name}",
                f"unknown predicate '{name}' (expected one of: {', '.join(PREDICATES)})",
            )
            return None
        result: Check | None = reader(argument, f"{where}.{name}", root)
        return result

    def element(self, path: Any, where: str, root: type[BaseModel]) -> Element | None:
        if not isinstance(path, str):
            self.problem(where, "an element is a dotted field path such as 'assessment.type'")
            return None
        try:
            return resolve(path, root)
        except UnknownElement as error:
            self.problem(where, f"unknown element: {error}")
            return None

    def mapping(self, data: Any, where: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.problem(where, f"expected a mapping with keys {', '.join(sorted(allowed))}")
            return None
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.problem(where, f"unknown key(s) {', '.join(map(str, unknown))}")
            return None
        return data

    def bounds(self, data: dict[str, Any], where: str) -> Bounds | None:
        values: dict[str, float] = {}
        for key in ("min", "max", "above", "below"):
            if key not in data:
                continue
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.problem(f"{where}.{key}", f"expected a number, got {value!r}")
                return None
            if value < 0:
                self.problem(f"{where}.{key}", f"bad range: {value:g} is negative")
                return None
            values[key] = float(value)
        if not values:
            self.problem(where, "bad range: give at least one of min, max, above, below")
            return None
        if ("max" in values and "below" in values) or ("min" in values and "above" in values):
            self.problem(where, "bad range: give max or below (min or above), not both")
            return None
        low = values.get("min", values.get("above"))
        high = values.get("max", values.get("below"))
        if low is not None and high is not None and (
            low > high or (low == high and ("above" in values or "below" in values))
        ):
            self.problem(where, f"bad range: lower bound {low:g} is above upper bound {high:g}")
            return None
        return Bounds(**values)

    def _present(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        return Present(data) if self.element(data, where, root) else None

    def _stated(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        return Stated(data) if self.element(data, where, root) else None

    def _number(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"element", "min", "max", "above", "below"})
        if fields is None:
            return None
        element = self.element(fields.get("element"), f"{where}.element", root)
        bounds = self.bounds(fields, where)
        if element is None or bounds is None:
            return None
        if element.kind != Kind.NUMBER or element.many:
            self.problem(f"{where}.element", f"'{element.path}' is not a single number")
            return None
        return Number(element.path, bounds)

    def _credits(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        allowed = {"system", "min", "max", "above", "below", "stated_only"}
        fields = self.mapping(data, where, allowed)
        if fields is None:
            return None
        if root is not MicroCredential:
            self.problem(where, "credits is checked on the whole record, not inside 'each'")
            return None
        system = fields.get("system")
        known = [member.value for member in CreditSystem]
        if system not in known:
            listed = ", ".join(known)
            self.problem(f"{where}.system", f"unknown credit system {system!r} ({listed})")
            return None
        stated_only = fields.get("stated_only", False)
        if not isinstance(stated_only, bool):
            self.problem(f"{where}.stated_only", "expected true or false")
            return None
        bounds = self.bounds(fields, where)
        return Credits(CreditSystem(system), bounds, stated_only) if bounds else None

    def _level(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"framework", "min", "max"})
        if fields is None:
            return None
        if root is not MicroCredential:
            self.problem(where, "level is checked on the whole record, not inside 'each'")
            return None
        name = fields.get("framework")
        known = [member.value for member in QualificationFramework]
        if name not in known:
            self.problem(f"{where}.framework", f"unknown framework {name!r} ({', '.join(known)})")
            return None
        framework = QualificationFramework(name)
        levels = FRAMEWORKS[framework].levels
        low, high = fields.get("min", levels[0]), fields.get("max", levels[-1])
        for key, value in (("min", low), ("max", high)):
            if not isinstance(value, int) or isinstance(value, bool) or value not in levels:
                self.problem(
                    f"{where}.{key}",
                    f"bad range: {value!r} is not a level of {name} ({levels[0]}-{levels[-1]})",
                )
                return None
        if low > high:
            self.problem(where, f"bad range: min {low} is above max {high}")
            return None
        return Level(framework, low, high)

    def _one_of(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"element", "values", "all"})
        if fields is None:
            return None
        element = self.element(fields.get("element"), f"{where}.element", root)
        values = fields.get("values")
        if element is None:
            return None
        if not isinstance(values, list) or not values:
            self.problem(f"{where}.values", "expected a non-empty list of values")
            return None
        parsed = self._values(element, values, f"{where}.values")
        every = fields.get("all", False)
        if not isinstance(every, bool):
            self.problem(f"{where}.all", "expected true or false")
            return None
        return OneOf(element.path, frozenset(parsed), every) if parsed is not None else None

    def _values(self, element: Element, values: list[Any], where: str) -> list[Any] | None:
        if element.kind == Kind.ENUM and element.enum is not None:
            allowed = {member.value: member for member in element.enum}
            unknown = [value for value in values if value not in allowed]
            if unknown:
                self.problem(
                    where,
                    f"{unknown!r} not in the vocabulary of {element.path} "
                    f"({', '.join(allowed)})",
                )
                return None
            return [allowed[value] for value in values]
        if element.kind == Kind.BOOL:
            if not all(isinstance(value, bool) for value in values):
                self.problem(where, f"{element.path} is true or false")
                return None
            return values
        if element.kind == Kind.TEXT:
            if not all(isinstance(value, str) for value in values):
                self.problem(where, f"{element.path} is text; give text values")
                return None
            # Free text is compared without regard to case ("Learning outcomes").
            return [value.strip().casefold() for value in values]
        self.problem(where, f"membership cannot test {element.path} (a {element.kind})")
        return None

    def _count(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"element", "min", "max"})
        if fields is None:
            return None
        element = self.element(fields.get("element"), f"{where}.element", root)
        low, high = fields.get("min", 1), fields.get("max")
        if element is None:
            return None
        if not element.many:
            self.problem(f"{where}.element", f"'{element.path}' is not a list; use present")
            return None
        for key, value in (("min", low), ("max", high)):
            if value is not None and (not isinstance(value, int) or value < 0):
                self.problem(f"{where}.{key}", f"bad range: expected a count >= 0, got {value!r}")
                return None
        if high is not None and low > high:
            self.problem(where, f"bad range: min {low} is above max {high}")
            return None
        return Count(element.path, low, high)

    def _when(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"if", "then"})
        if fields is None:
            return None
        if "if" not in fields or "then" not in fields:
            self.problem(where, "when needs both 'if' and 'then'")
            return None
        condition = self.check(fields["if"], f"{where}.if", root)
        then = self.check(fields["then"], f"{where}.then", root)
        return When(condition, then) if condition and then else None

    def _group(self, data: Any, where: str, root: type[BaseModel]) -> tuple[Check, ...] | None:
        if not isinstance(data, list) or len(data) < 2:
            self.problem(where, "expected a list of at least two checks")
            return None
        checks = [self.check(item, f"{where}[{index}]", root) for index, item in enumerate(data)]
        if any(check is None for check in checks):
            return None
        return tuple(check for check in checks if check is not None)

    def _all_of(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        checks = self._group(data, where, root)
        return AllOf(checks) if checks else None

    def _any_of(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        checks = self._group(data, where, root)
        return AnyOf(checks) if checks else None

    def _each(self, data: Any, where: str, root: type[BaseModel]) -> Check | None:
        fields = self.mapping(data, where, {"element", "check"})
        if fields is None:
            return None
        element = self.element(fields.get("element"), f"{where}.element", root)
        if element is None:
            return None
        if element.kind != Kind.MODEL or element.model is None or not element.leaf_list:
            self.problem(f"{where}.element", f"'{element.path}' is not a list of parts")
            return None
        inner = self.check(fields.get("check"), f"{where}.check", element.model)
        return Each(element.path, element.model, inner) if inner else None


def parse_check(data: Any, where: str = "check") -> Check:
    """The check ``data`` describes; raises :class:`CheckError` listing every problem."""
    reader = _Reader()
    check = reader.check(data, where, MicroCredential)
    if reader.problems or check is None:
        raise CheckError(reader.problems or [Problem(where, "invalid check")])
    return check


def elements_of(check: Check, prefix: str = "") -> list[str]:
    """The element paths a check reads, in order, without repeats."""
    found: list[str] = []

    def visit(node: Check, base: str) -> None:
        match node:
            case Present(element) | Stated(element) | Number(element, _) | OneOf(element, _, _):
                found.append(base + element)
            case Count(element, _, _):
                found.append(base + element)
            case Credits():
                found.append(base + "credits")
            case Level():
                found.append(base + "qualification_levels")
            case When(condition, then):
                visit(condition, base)
                visit(then, base)
            case AllOf(checks) | AnyOf(checks):
                for child in checks:
                    visit(child, base)
            case Each(element, _, inner):
                visit(inner, f"{base}{element}.")

    visit(check, prefix)
    return list(dict.fromkeys(found))


def describe(check: Check) -> str:
    """The check in words, for ``credstack rules show``."""
    match check:
        case Present(element):
            return f"{element} is given and not empty"
        case Stated(element):
            return f"{element} is stated (an empty list means 'none')"
        case Number(element, bounds):
            return f"{element} is {bounds.describe()}"
        case Credits(system, bounds, stated_only):
            how = "stated" if stated_only else "stated or converted"
            return f"credits in {system.value} ({how}) are {bounds.describe()}"
        case Level(framework, low, high):
            return f"a {framework.value} level between {low} and {high}"
        case OneOf(element, values, every):
            listed = ", ".join(sorted(str(getattr(v, "value", v)) for v in values))
            return f"{'every' if every else 'a'} {element} is one of [{listed}]"
        case Count(element, low, high):
            upper = f" and at most {high}" if high is not None else ""
            return f"at least {low}{upper} {element}"
        case When(condition, then):
            return f"if {describe(condition)}, then {describe(then)}"
        case AllOf(checks):
            return " and ".join(f"({describe(child)})" for child in checks)
        case AnyOf(checks):
            return " or ".join(f"({describe(child)})" for child in checks)
        case Each(element, _, inner):
            return f"every {element}: {describe(inner)}"
    raise TypeError(f"not a check: {check!r}")
