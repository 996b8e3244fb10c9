"""Interoperability: CTDL (Credential Engine), Europass ELM, schema.org and bulk CSV."""
