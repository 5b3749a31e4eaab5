"""Views of the lab context: the schedule, raw milk, finished products, calendar, OC curve."""
