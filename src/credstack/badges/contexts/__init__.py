"""Bundled JSON-LD context documents (data); see SOURCES.md and index.json."""
