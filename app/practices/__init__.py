"""Setting a practice up from a clinic file: read and validate it, then import it."""
