"""What an import read: per record, the record or its problems, and every member left out
or value assumed; resources that are not records. Shared by the CTDL and ELM imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.files import validate_document


@dataclass(frozen=True)
class Dropped:
    """A CTDL member left out of the record, and why."""

    location: str
    reason: str


@dataclass
class ImportedRecord:
    """One CTDL resource read as a record: the record, or the problems that stop it."""

    source: str
    location: str
    ctid: str | None
    record: MicroCredential | None = None
    dropped: list[Dropped] = field(default_factory=list)
    assumed: list[Dropped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The JSON shape of the report of this resource."""
        return {
            "source": self.source,
            "location": self.location,
            "ctid": self.ctid,
            "id": self.record.id if self.record else None,
            "dropped": [{"location": d.location, "reason": d.reason} for d in self.dropped],
            "assumed": [{"location": d.location, "reason": d.reason} for d in self.assumed],
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
        }

    def finish(self, document: dict[str, Any], *, prefix: str) -> ImportedRecord:
        """Check the record's plain data as a YAML record is checked, unless already failed."""
        if not self.problems:
            try:
                self.record = validate_document(document, source=self.source, prefix=prefix)
            except InvalidInput as error:
                self.problems.extend(error.problems)
        return self


@dataclass
class Reading:
    """Everything read from inputs: records, and resources that are not records."""

    records: list[ImportedRecord] = field(default_factory=list)
    not_imported: list[dict[str, str]] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every record."""
        return [problem for record in self.records for problem in record.problems]
