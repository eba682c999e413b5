"""cs8.sla: business calendars and SLA clocks.

Example:
    >>> from cs8.sla import BusinessCalendar
    >>> BusinessCalendar.always_open().timezone
    'UTC'
"""

from cs8.sla._calendar import BusinessCalendar

__all__ = ["BusinessCalendar"]
