"""cs8.kpi."""
