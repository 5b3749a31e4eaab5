"""Views of the records context, one module per page group."""
