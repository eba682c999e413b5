"""cs8.surveys."""
