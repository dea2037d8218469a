"""Custom components (package marker so tests can import the integration)."""
