"""Views of the lots context."""
