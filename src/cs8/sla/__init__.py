"""cs8.sla."""
