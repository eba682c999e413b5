"""One respondent's answers to a SERVQUAL-style instrument, validated at construction."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TypeAlias

import attrs

from cs8._enums import Channel, _LowerEnum
from cs8._frozen import FrozenDict
from cs8.exceptions import SurveyError
from cs8.surveys._instrument import (
    SERVQUAL_1991,
    Dimension,
    DimensionKey,
    DimensionWeights,
    Instrument,
    ResponseFormat,
)

__all__ = ["NOT_APPLICABLE", "Answer", "Missing", "ServqualResponse"]


class Missing(_LowerEnum):
    """Why an answer is absent when it is not simply blank (``None``).

    Example:
        >>> Missing("Not applicable") is NOT_APPLICABLE
        True
    """

    NOT_APPLICABLE = "not_applicable"


#: The answer "not applicable" (also accepted as the strings "n/a", "na", "not applicable").
NOT_APPLICABLE = Missing.NOT_APPLICABLE

Answer: TypeAlias = int | Missing | None

_INT_ONLY = frozenset({int})
_NA_STRINGS = frozenset({"n/a", "na", "not applicable", "not_applicable", "không áp dụng"})


def _answer(value: object) -> Answer:
    if value is None or value is NOT_APPLICABLE:
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _NA_STRINGS:
            return NOT_APPLICABLE
        if key == "":
            return None
        if key.lstrip("-").isdigit():
            return int(key)
        raise SurveyError(f"not a score: {value!r}")
    if isinstance(value, bool):
        raise SurveyError(f"not a score: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    raise SurveyError(f"not a whole-number score: {value!r}")


def _answers(values: Iterable[object] | None, field: str = "perceptions") -> tuple[Answer, ...]:
    if values is None:
        return ()
    t = values if type(values) is tuple else tuple(values)
    if set(map(type, t)) <= _INT_ONLY:
        return t  # type: ignore[return-value]
    out: list[Answer] = []
    for k, x in enumerate(t, 1):
        try:
            out.append(_answer(x))
        except SurveyError as exc:
            raise SurveyError(f"ServqualResponse.{field} answer {k}: {exc}") from None
    return tuple(out)


def _expectations(values: Iterable[object] | None) -> tuple[Answer, ...]:
    return _answers(values, "expectations")


def _minimum(values: Iterable[object] | None) -> tuple[Answer, ...] | None:
    return None if values is None else _answers(values, "minimum")


def _desired(values: Iterable[object] | None) -> tuple[Answer, ...] | None:
    return None if values is None else _answers(values, "desired")


def _opt_channel(value: Channel | str | None) -> Channel | None:
    if value is None or isinstance(value, Channel):
        return value
    try:
        return Channel(value)
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise SurveyError(
            f"ServqualResponse.channel must be one of {known}, got {value!r}"
        ) from None


def _importance(
    value: DimensionWeights | None,
) -> FrozenDict[DimensionKey, float] | None:
    if value is None:
        return None
    out: dict[DimensionKey, float] = {}
    for key, points in value.items():
        try:
            dim: DimensionKey = key if isinstance(key, Dimension) else Dimension(key)
        except ValueError:
            dim = key
        out[dim] = points
    return FrozenDict(out)


@attrs.frozen(kw_only=True)
class ServqualResponse:
    """One respondent's answers, in the order of the instrument's items.

    Answers are integers on the instrument's scale (digit strings such as ``"5"`` are read as
    integers), ``None`` or ``""`` (not answered) or :data:`NOT_APPLICABLE` (also ``"n/a"``); both
    kinds of missing answer are kept and counted by the scoring.

    Args:
        expectations: Expected levels (empty for SERVPERF and the three-column format).
        perceptions: Perceived levels.
        minimum: Minimum adequate levels (three-column format).
        desired: Desired levels (three-column format).
        importance: Points the respondent gave each dimension, summing to 100 (a dimension left
            out gets 0 points).
        instrument: The questionnaire answered (SERVQUAL 1991 by default).
        respondent_id: Who answered, for messages and per-respondent scores.
        segment: Respondent segment (any label, e.g. ``"vip"``).
        channel: Channel the respondent used.
        date: When the survey was answered (a ``date`` or ``datetime``).

    Raises:
        SurveyError: If a battery has the wrong length, a score is off the scale or not a whole
            number, a battery the format needs is missing, or the importance points do not sum to
            100; the message names the battery, the item number and the respondent.

    Example:
        >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[5] * 22)
        >>> r.perceptions[0], r.instrument.name
        (5, 'SERVQUAL 1991')
        >>> ServqualResponse(expectations=[7] * 22, perceptions=[5] * 21 + [8])
        Traceback (most recent call last):
        ...
        cs8.exceptions.SurveyError: ServqualResponse.perceptions item 22 must be in 1..7, got 8
    """

    expectations: tuple[Answer, ...] = attrs.field(default=(), converter=_expectations)
    perceptions: tuple[Answer, ...] = attrs.field(converter=_answers)
    minimum: tuple[Answer, ...] | None = attrs.field(default=None, converter=_minimum)
    desired: tuple[Answer, ...] | None = attrs.field(default=None, converter=_desired)
    importance: FrozenDict[DimensionKey, float] | None = attrs.field(
        default=None, converter=_importance
    )
    instrument: Instrument = SERVQUAL_1991
    respondent_id: str | None = None
    segment: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_opt_channel)
    date: date | None = None

    def __attrs_post_init__(self) -> None:
        inst = self.instrument
        if type(inst) is not Instrument and not isinstance(inst, Instrument):
            raise SurveyError(
                f"ServqualResponse.instrument must be an Instrument, got {inst!r}{self._who()}"
            )
        fmt = inst.format
        if (
            fmt is ResponseFormat.GAP
            and self.minimum is None
            and self.desired is None
            and self.importance is None
        ):
            # Fast path: the converters left only ints when every answer is present, so the set
            # of distinct answers being within the scale settles the whole check.
            allowed = inst._allowed
            e, p = self.expectations, self.perceptions
            if len(e) == len(p) == inst.k and set(e) <= allowed and set(p) <= allowed:
                return
        if fmt is ResponseFormat.GAP or self.expectations:
            self._check("expectations", self.expectations)
        self._check("perceptions", self.perceptions)
        if fmt is ResponseFormat.THREE_COLUMN:
            self._check("minimum", self.minimum)
            self._check("desired", self.desired)
        else:
            if self.minimum is not None:
                self._check("minimum", self.minimum)
            if self.desired is not None:
                self._check("desired", self.desired)
        if self.importance is not None:
            self._check_importance(self.importance)

    def _who(self) -> str:
        return f" (respondent {self.respondent_id!r})" if self.respondent_id is not None else ""

    def _check(self, field: str, values: tuple[Answer, ...] | None) -> None:
        inst = self.instrument
        if values is None or len(values) != inst.k:
            got = "none" if values is None else len(values)
            raise SurveyError(
                f"ServqualResponse.{field} must have {inst.k} answers for {inst.name}, "
                f"got {got}{self._who()}"
            )
        low, high = inst.scale
        for item, v in zip(inst.items, values, strict=True):
            if isinstance(v, int) and not low <= v <= high:
                raise SurveyError(
                    f"ServqualResponse.{field} item {item.number} must be in {low}..{high}, "
                    f"got {v!r}{self._who()}"
                )

    def _check_importance(self, points: Mapping[DimensionKey, float]) -> None:
        dims = self.instrument.dimensions
        for key, value in points.items():
            if key not in dims:
                raise SurveyError(
                    f"ServqualResponse.importance names unknown dimension {key!r}{self._who()}"
                )
            if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
                raise SurveyError(
                    f"ServqualResponse.importance for {key} must be a non-negative number, "
                    f"got {value!r}{self._who()}"
                )
        total = math.fsum(points.values())
        if abs(total - 100.0) > 1e-6:
            raise SurveyError(
                f"ServqualResponse.importance points must sum to 100, got {total:g}{self._who()}"
            )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, object], *, instrument: Instrument = SERVQUAL_1991
    ) -> ServqualResponse:
        """Build a response from :meth:`to_dict` output (or any mapping with those keys).

        Args:
            data: The plain data; ``"instrument"`` in it must match ``instrument.name`` if given.
            instrument: The instrument the answers belong to.

        Raises:
            SurveyError: If the data name another instrument or fail validation.

        Example:
            >>> r = ServqualResponse(expectations=[7] * 22, perceptions=["n/a"] + [5] * 21)
            >>> ServqualResponse.from_dict(r.to_dict()) == r
            True
        """
        name = data.get("instrument")
        if name is not None and name != instrument.name:
            raise SurveyError(
                f"response data answer {name!r}, not the instrument given ({instrument.name!r})"
            )
        when = data.get("date")
        if isinstance(when, str):
            try:
                when = (
                    date.fromisoformat(when[:10])
                    if len(when) <= 10
                    else datetime.fromisoformat(when)
                )
            except ValueError as exc:
                raise SurveyError(f"ServqualResponse.date is not an ISO date: {when!r}") from exc
        return cls(
            expectations=data.get("expectations") or (),  # type: ignore[arg-type]
            perceptions=data.get("perceptions"),  # type: ignore[arg-type]
            minimum=data.get("minimum"),  # type: ignore[arg-type]
            desired=data.get("desired"),  # type: ignore[arg-type]
            importance=data.get("importance"),  # type: ignore[arg-type]
            instrument=instrument,
            respondent_id=data.get("respondent_id"),  # type: ignore[arg-type]
            segment=data.get("segment"),  # type: ignore[arg-type]
            channel=data.get("channel"),  # type: ignore[arg-type]
            date=when,  # type: ignore[arg-type]
        )

    def to_dict(self) -> dict[str, object]:
        """Return the response as plain data (``"not_applicable"`` for N/A answers).

        Example:
            >>> ServqualResponse(expectations=[7] * 22, perceptions=[None] * 22).to_dict()["perceptions"][0] is None
            True
        """

        def plain(values: tuple[Answer, ...] | None) -> list[int | str | None] | None:
            if values is None:
                return None
            return [v.value if isinstance(v, Missing) else v for v in values]

        return {
            "respondent_id": self.respondent_id,
            "instrument": self.instrument.name,
            "expectations": plain(self.expectations),
            "perceptions": plain(self.perceptions),
            "minimum": plain(self.minimum),
            "desired": plain(self.desired),
            "importance": None
            if self.importance is None
            else {
                (k.value if isinstance(k, Dimension) else k): v for k, v in self.importance.items()
            },
            "segment": self.segment,
            "channel": None if self.channel is None else self.channel.value,
            "date": None if self.date is None else self.date.isoformat(),
        }
