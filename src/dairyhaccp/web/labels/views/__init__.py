"""Views of the labels context."""
