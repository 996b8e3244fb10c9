"""credstack: a registry and quality platform for competency-based micro-credentials."""

__version__ = "0.1.0"
