"""Temperature loggers: devices in rooms, imported and pushed readings, judged days."""
