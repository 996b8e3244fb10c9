"""Errors of the taxonomy capability."""

from __future__ import annotations

from credstack.errors import NotFound


class UnknownFramework(NotFound):
    """A framework id that is neither imported nor shipped."""

    def __init__(self, framework_id: str, known: list[str]) -> None:
        self.framework_id = framework_id
        listed = ", ".join(known) if known else "none imported"
        super().__init__(
            f"unknown framework '{framework_id}' (known: {listed}); "
            "import it with `credstack frameworks import`"
        )
