"""Views of the farm context, one module per page group."""
