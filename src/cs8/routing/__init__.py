"""cs8.routing."""
