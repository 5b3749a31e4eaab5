"""Pages of the loggers context."""
