"""Quality engine: micro-credentials checked against jurisdictions' frameworks.

Rule sets are data (``quality/rules/*.yaml``); :mod:`credstack.quality.loader` reads and
validates them, :mod:`credstack.quality.compiler` turns each into closures once, and
:mod:`credstack.quality.service` is what the CLI, the API and the registry call.
"""
