"""Lots and traceability."""
