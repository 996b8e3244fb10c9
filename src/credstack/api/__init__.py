"""REST API under /api/v1/: one FastAPI router per capability."""
