"""Readers that turn a framework file (ESCO CSV, CASE JSON, custom CSV/YAML) into a model."""
