"""Storage: SQLAlchemy models, engine setup, version recording, shared queries."""
