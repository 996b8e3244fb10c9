"""The registry capability: micro-credential records, versions, lifecycle and search."""
