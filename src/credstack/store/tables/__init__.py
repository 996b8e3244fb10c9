"""Every capability's tables, imported so ``Base.metadata`` knows them all."""

from __future__ import annotations

import importlib

# One module per capability; each defines its tables on credstack.store.base.Base.
TABLE_MODULES = (
    "credstack.store.tables.registry",
    "credstack.store.tables.taxonomy",
    "credstack.store.tables.assess",
    "credstack.store.tables.badges",
    "credstack.store.tables.accounts",
)


def load_all() -> None:
    """Import every table module that exists in this build."""
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


load_all()
