"""dairyhaccp: the food-safety self-check (HACCP) of Belgian dairy."""

__version__ = "0.1.0"
