"""Every error cs8 raises on purpose.

Each error derives from :class:`Cs8Error` and also from the standard-library error a caller would
naturally catch (``ValueError``, ``KeyError``, ``ImportError`` ...), so ``except ValueError`` keeps
working in code that does not know about cs8.

Example:
    >>> from cs8.exceptions import Cs8Error, NaiveDatetimeError
    >>> issubclass(NaiveDatetimeError, ValueError) and issubclass(NaiveDatetimeError, Cs8Error)
    True
"""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "ConvergenceError",
    "Cs8Error",
    "EventOrderError",
    "InvalidValueError",
    "LoadError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "PluginLoadError",
    "RuleError",
    "SerializationError",
    "SlaError",
    "StaffingError",
    "SurveyError",
    "UnknownFieldError",
    "UnsupportedEngineError",
]


class Cs8Error(Exception):
    """Base of every error cs8 raises on purpose.

    Example:
        >>> try:
        ...     raise InvalidValueError("Customer.id must not be empty, got ''")
        ... except Cs8Error as exc:
        ...     print(exc)
        Customer.id must not be empty, got ''
    """


class InvalidValueError(Cs8Error, ValueError):
    """A value is outside what its field accepts (empty id, negative duration, score off scale).

    Example:
        >>> isinstance(InvalidValueError("x"), ValueError)
        True
    """


class NaiveDatetimeError(InvalidValueError):
    """A datetime without a time zone was given where an instant is needed.

    Example:
        >>> isinstance(NaiveDatetimeError("x"), ValueError)
        True
    """


class EventOrderError(InvalidValueError):
    """A ticket's events are not in non-decreasing time order.

    Example:
        >>> isinstance(EventOrderError("x"), ValueError)
        True
    """


class UnknownFieldError(Cs8Error, KeyError):
    """A name (column, field, enum member) that cs8 does not know was asked for.

    Example:
        >>> isinstance(UnknownFieldError("x"), KeyError)
        True
    """

    def __str__(self) -> str:
        # KeyError quotes its argument; keep the message readable.
        return str(self.args[0]) if self.args else ""


class LoadError(Cs8Error, ValueError):
    """A file could not be loaded (missing, empty, missing columns, or bad rows with ``strict``).

    Example:
        >>> isinstance(LoadError("x"), ValueError)
        True
    """


class SerializationError(Cs8Error, ValueError):
    """Data could not be turned into a cs8 model, or a model into data.

    Example:
        >>> isinstance(SerializationError("x"), ValueError)
        True
    """


class CalendarError(Cs8Error, ValueError):
    """A business calendar specification is invalid, or cannot answer the question asked.

    Example:
        >>> isinstance(CalendarError("x"), ValueError)
        True
    """


class SlaError(Cs8Error, ValueError):
    """An SLA policy or target is invalid.

    Example:
        >>> isinstance(SlaError("x"), ValueError)
        True
    """


class StaffingError(Cs8Error, ValueError):
    """A staffing (Erlang) question has no answer, e.g. fewer agents than the offered traffic.

    Example:
        >>> isinstance(StaffingError("x"), ValueError)
        True
    """


class RuleError(Cs8Error, ValueError):
    """A routing rule document is malformed; the message names the rule and the JSON path.

    Example:
        >>> isinstance(RuleError("x"), ValueError)
        True
    """


class PluginLoadError(Cs8Error, ImportError):
    """A routing plugin could not be loaded; the message names the plugin and its package.

    Example:
        >>> isinstance(PluginLoadError("x"), ImportError)
        True
    """


class SurveyError(Cs8Error, ValueError):
    """A survey response or instrument is invalid; the message names the item.

    Example:
        >>> isinstance(SurveyError("x"), ValueError)
        True
    """


class MissingExtraError(Cs8Error, ImportError):
    """An optional dependency is needed; the message names the extra to install.

    Example:
        >>> isinstance(MissingExtraError("x"), ImportError)
        True
    """


class UnsupportedEngineError(Cs8Error, NotImplementedError):
    """A dataframe engine lacks an operation cs8 needs; the message names the engine and the step.

    Example:
        >>> isinstance(UnsupportedEngineError("x"), NotImplementedError)
        True
    """


class ConvergenceError(Cs8Error, ValueError):
    """A model's maximum-likelihood fit did not converge on the data given; the message says why.

    Example:
        >>> isinstance(ConvergenceError("x"), ValueError)
        True
    """
