"""Bundled JSON Schemas (data); see the SOURCES.md of the contexts folder."""
