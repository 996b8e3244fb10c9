"""Pure domain model and rules: no I/O, no framework imports, nothing else of credstack."""
