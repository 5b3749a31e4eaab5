"""Evidence that holds: every record chained per operator, guarded by the database itself."""
