"""Competency frameworks: ESCO, CASE 1.1, custom CSV/YAML, with proficiency scales."""
