"""Questionnaires: SERVQUAL's dimensions and items, and the general :class:`Instrument`.

The item labels are short descriptions written for cs8 (English and Vietnamese), not the published
SERVQUAL wording, whose copyright the authors (Parasuraman, Zeithaml and Berry) hold; a shop can
supply its own full texts with :meth:`Instrument.with_texts`.

Example:
    >>> SERVQUAL_ITEMS[4].number, SERVQUAL_ITEMS[4].dimension
    (5, Dimension.RELIABILITY)
    >>> SERVQUAL_1988.items[9].reverse
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import attrs

from cs8._enums import _LowerEnum
from cs8._frozen import FrozenDict
from cs8.exceptions import SurveyError

__all__ = [
    "RATER_ORDER",
    "SERVPERF",
    "SERVQUAL_1988",
    "SERVQUAL_1991",
    "SERVQUAL_ITEMS",
    "SERVQUAL_THREE_COLUMN",
    "Dimension",
    "Instrument",
    "Item",
    "ResponseFormat",
]


class Dimension(_LowerEnum):
    """The five SERVQUAL dimensions (RATER: reliability, assurance, tangibles, empathy, responsiveness).

    Example:
        >>> Dimension("Tangibles")
        Dimension.TANGIBLES
        >>> Dimension.EMPATHY.label("vi")
        'Sự đồng cảm'
    """

    TANGIBLES = "tangibles"
    RELIABILITY = "reliability"
    RESPONSIVENESS = "responsiveness"
    ASSURANCE = "assurance"
    EMPATHY = "empathy"

    def label(self, language: str = "en") -> str:
        """Return the dimension's name in ``language`` (``"en"`` or ``"vi"``).

        Example:
            >>> Dimension.RELIABILITY.label()
            'Reliability'
        """
        names = _DIMENSION_LABELS[self.value]
        return names.get(language, names["en"])


_DIMENSION_LABELS: dict[str, dict[str, str]] = {
    "tangibles": {"en": "Tangibles", "vi": "Phương tiện hữu hình"},
    "reliability": {"en": "Reliability", "vi": "Độ tin cậy"},
    "responsiveness": {"en": "Responsiveness", "vi": "Khả năng đáp ứng"},
    "assurance": {"en": "Assurance", "vi": "Sự đảm bảo"},
    "empathy": {"en": "Empathy", "vi": "Sự đồng cảm"},
}

#: The dimensions in the order of the RATER mnemonic.
RATER_ORDER: tuple[Dimension, ...] = (
    Dimension.RELIABILITY,
    Dimension.ASSURANCE,
    Dimension.TANGIBLES,
    Dimension.EMPATHY,
    Dimension.RESPONSIVENESS,
)

DimensionKey = Dimension | str
# Mappings are invariant in their key: accept dimension-keyed and name-keyed ones alike.
DimensionWeights = Mapping[Dimension, float] | Mapping[str, float] | Mapping[DimensionKey, float]


class ResponseFormat(_LowerEnum):
    """Which batteries a respondent answers.

    ``GAP``: expectations and perceptions (SERVQUAL 1988/1991). ``THREE_COLUMN``: minimum, desired
    and perceived levels (Parasuraman, Zeithaml and Berry 1994; LibQUAL+). ``PERCEPTIONS_ONLY``:
    SERVPERF (Cronin and Taylor 1992).

    Example:
        >>> ResponseFormat("three_column")
        ResponseFormat.THREE_COLUMN
    """

    GAP = "gap"
    THREE_COLUMN = "three_column"
    PERCEPTIONS_ONLY = "perceptions_only"


def _labels(value: Mapping[str, str] | None) -> FrozenDict[str, str]:
    return FrozenDict(dict(value) if value else {})


def _dimension(value: DimensionKey) -> DimensionKey:
    if isinstance(value, Dimension):
        return value
    try:
        return Dimension(value)
    except ValueError:
        if not isinstance(value, str) or not value.strip():
            raise SurveyError(f"Item.dimension must be a non-empty name, got {value!r}") from None
        return value


@attrs.frozen(kw_only=True)
class Item:
    """One question of an instrument.

    Args:
        number: The item's number in the questionnaire (1-based, as published).
        dimension: The dimension it measures: a :class:`Dimension` or a custom name.
        text: Short English label.
        labels: Labels by language code (``{"vi": "..."}``); ``text`` is the English one.
        reverse: Score it reversed (``low + high - x``) before any gap or reliability figure,
            as the negatively worded items of the 1988 SERVQUAL.

    Example:
        >>> item = Item(number=1, dimension="tangibles", text="Modern equipment")
        >>> item.dimension, item.label("vi")
        (Dimension.TANGIBLES, 'Modern equipment')
    """

    number: int = attrs.field()
    dimension: DimensionKey = attrs.field(converter=_dimension)
    text: str = attrs.field()
    labels: FrozenDict[str, str] = attrs.field(factory=FrozenDict, converter=_labels)
    reverse: bool = False

    @number.validator
    def _check_number(self, attribute: object, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SurveyError(f"Item.number must be a positive integer, got {value!r}")

    @text.validator
    def _check_text(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise SurveyError(f"Item.text must not be empty, got {value!r} (item {self.number})")

    def label(self, language: str = "en") -> str:
        """Return the label in ``language``, falling back to the English ``text``.

        Example:
            >>> SERVQUAL_ITEMS[0].label("vi")
            'Trang thiết bị hiện đại'
        """
        if language == "en":
            return self.labels.get("en", self.text)
        return self.labels.get(language, self.text)


def _dimension_name(d: DimensionKey) -> str:
    return d.value if isinstance(d, Dimension) else d


def _dimension_label(d: DimensionKey, language: str) -> str:
    return d.label(language) if isinstance(d, Dimension) else d


def _items(values: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(values)


def _scale(value: Sequence[int]) -> tuple[int, int]:
    pair = tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
        raise SurveyError(f"Instrument.scale must be (low, high) integers, got {value!r}")
    if not pair[0] < pair[1]:
        raise SurveyError(f"Instrument.scale must have low < high, got {value!r}")
    return (pair[0], pair[1])


def _default_scale_labels() -> FrozenDict[str, tuple[str, str]]:
    return FrozenDict(
        {
            "en": ("Strongly disagree", "Strongly agree"),
            "vi": ("Hoàn toàn không đồng ý", "Hoàn toàn đồng ý"),
        }
    )


def _scale_labels(value: Mapping[str, Sequence[str]]) -> FrozenDict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for language, pair in dict(value).items():
        if len(pair) != 2:
            raise SurveyError(
                f"Instrument.scale_labels[{language!r}] must be (low, high), got {pair!r}"
            )
        out[language] = (str(pair[0]), str(pair[1]))
    return FrozenDict(out)


@attrs.frozen(kw_only=True)
class Instrument:
    """A questionnaire: items grouped into dimensions, a scale, a response format and labels.

    Items keep their published numbers; responses list answers in the order of ``items``.

    Args:
        name: Name of the instrument (``"SERVQUAL 1991"``).
        items: The items in questionnaire order.
        scale: ``(low, high)`` of the agreement scale, 1-7 by default.
        format: Which batteries are answered (:class:`ResponseFormat`).
        scale_labels: Anchor labels by language: ``{"en": ("Strongly disagree", "Strongly agree")}``.

    Raises:
        SurveyError: If there are no items, item numbers repeat or the scale is not ``low < high``.

    Attributes:
        dimensions: The dimensions in order of first appearance.
        k: The number of items.

    Example:
        >>> short = SERVQUAL_1991.subset([1, 5, 10, 14, 18], name="RATER-5")
        >>> len(short.items), short.dimensions[0]
        (5, Dimension.TANGIBLES)
    """

    name: str
    items: tuple[Item, ...] = attrs.field(converter=_items)
    scale: tuple[int, int] = attrs.field(default=(1, 7), converter=_scale)
    format: ResponseFormat = attrs.field(default=ResponseFormat.GAP, converter=ResponseFormat)
    scale_labels: FrozenDict[str, tuple[str, str]] = attrs.field(
        factory=_default_scale_labels, converter=_scale_labels
    )
    dimensions: tuple[DimensionKey, ...] = attrs.field(init=False)
    _dimension_index: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _reverse_index: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    _allowed: frozenset[int] = attrs.field(init=False, repr=False, eq=False)
    k: int = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise SurveyError(f"Instrument.items must not be empty (instrument {self.name!r})")
        seen: set[int] = set()
        dims: list[DimensionKey] = []
        for item in self.items:
            if not isinstance(item, Item):
                raise SurveyError(f"Instrument.items must hold Item values, got {item!r}")
            if item.number in seen:
                raise SurveyError(
                    f"Instrument.items repeat item number {item.number} (instrument {self.name!r})"
                )
            seen.add(item.number)
            if item.dimension not in dims:
                dims.append(item.dimension)
        object.__setattr__(self, "dimensions", tuple(dims))
        object.__setattr__(
            self, "_dimension_index", tuple(dims.index(i.dimension) for i in self.items)
        )
        object.__setattr__(
            self, "_reverse_index", tuple(k for k, i in enumerate(self.items) if i.reverse)
        )
        object.__setattr__(self, "_allowed", frozenset(range(self.scale[0], self.scale[1] + 1)))
        object.__setattr__(self, "k", len(self.items))

    def item(self, number: int) -> Item:
        """Return the item with published ``number``.

        Raises:
            SurveyError: If there is no such item.

        Example:
            >>> SERVQUAL_1991.item(14).dimension
            Dimension.ASSURANCE
        """
        for it in self.items:
            if it.number == number:
                return it
        raise SurveyError(f"instrument {self.name!r} has no item {number!r}")

    def positions(self, dimension: DimensionKey) -> tuple[int, ...]:
        """Return the 0-based positions (in ``items``) of the items of ``dimension``.

        Example:
            >>> SERVQUAL_1991.positions(Dimension.TANGIBLES)
            (0, 1, 2, 3)
        """
        key = _dimension(dimension)
        if key not in self.dimensions:
            raise SurveyError(f"instrument {self.name!r} has no dimension {dimension!r}")
        return tuple(k for k, it in enumerate(self.items) if it.dimension == key)

    def subset(self, numbers: Iterable[int], *, name: str | None = None) -> Instrument:
        """Return a short form keeping the items with these published numbers, in this order.

        Example:
            >>> SERVQUAL_1991.subset([5, 6], name="Reliability only").dimensions
            (Dimension.RELIABILITY,)
        """
        chosen = [self.item(n) for n in numbers]
        return attrs.evolve(self, name=name or f"{self.name} (short form)", items=chosen)

    def with_texts(self, texts: Mapping[int, str], *, language: str = "en") -> Instrument:
        """Return a copy with the labels of some items (by number) replaced in ``language``.

        Use it to supply the full wording you have the rights to.

        Example:
            >>> custom = SERVQUAL_1991.with_texts({1: "Our shop has up-to-date card readers"})
            >>> custom.item(1).label()
            'Our shop has up-to-date card readers'
        """
        items = []
        for it in self.items:
            if it.number in texts:
                labels = dict(it.labels)
                labels[language] = texts[it.number]
                it = attrs.evolve(it, labels=labels)
            items.append(it)
        return attrs.evolve(self, items=items)

    def with_format(self, format: ResponseFormat | str, *, name: str | None = None) -> Instrument:
        """Return the same items asked in another response format.

        Example:
            >>> SERVQUAL_1991.with_format("perceptions_only").format
            ResponseFormat.PERCEPTIONS_ONLY
        """
        return attrs.evolve(self, format=ResponseFormat(format), name=name or self.name)

    def reverse_score(self, value: int) -> int:
        """Return ``low + high - value`` (8 - x on a 1-7 scale).

        Example:
            >>> SERVQUAL_1988.reverse_score(2)
            6
        """
        return self.scale[0] + self.scale[1] - value

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        """Return the questionnaire as plain data (all labels, or one ``language``).

        Example:
            >>> SERVQUAL_1991.to_dict("en")["items"][0]
            {'number': 1, 'dimension': 'tangibles', 'reverse': False, 'text': 'Modern equipment'}
        """
        items: list[dict[str, object]] = []
        for it in self.items:
            row: dict[str, object] = {
                "number": it.number,
                "dimension": _dimension_name(it.dimension),
                "reverse": it.reverse,
            }
            if language is None:
                row["text"] = it.text
                row["labels"] = dict(it.labels)
            else:
                row["text"] = it.label(language)
            items.append(row)
        return {
            "name": self.name,
            "format": self.format.value,
            "scale": list(self.scale),
            "scale_labels": {k: list(v) for k, v in self.scale_labels.items()},
            "dimensions": [_dimension_name(d) for d in self.dimensions],
            "items": items,
        }

    def to_json(self, language: str | None = None, *, indent: int | None = 2) -> str:
        """Export the questionnaire as JSON (UTF-8 text, non-ASCII kept).

        Example:
            >>> '"number": 22' in SERVQUAL_1991.to_json()
            True
        """
        return json.dumps(self.to_dict(language), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Instrument:
        """Read an instrument written by :meth:`to_json` (with all labels).

        Raises:
            SurveyError: If the document is not a valid instrument.

        Example:
            >>> Instrument.from_json(SERVQUAL_1988.to_json()) == SERVQUAL_1988
            True
        """
        try:
            data = json.loads(text)
            items = [
                Item(
                    number=int(row["number"]),
                    dimension=row["dimension"],
                    text=row["text"],
                    labels=row.get("labels") or {},
                    reverse=bool(row.get("reverse", False)),
                )
                for row in data["items"]
            ]
            return cls(
                name=data["name"],
                items=items,
                scale=tuple(data["scale"]),
                format=data.get("format", "gap"),
                scale_labels={k: tuple(v) for k, v in data.get("scale_labels", {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SurveyError):
                raise
            raise SurveyError(f"not a valid instrument document: {exc!r}") from exc

    def to_markdown(self, language: str = "en") -> str:
        """Export the questionnaire as a Markdown document, one table per battery.

        Example:
            >>> print(SERVQUAL_1991.subset([1, 5]).to_markdown().splitlines()[0])
            # SERVQUAL 1991 (short form)
        """
        low, high = self.scale
        anchors = self.scale_labels.get(language) or self.scale_labels.get("en") or ("", "")
        batteries = {
            ResponseFormat.GAP: {
                "en": ["Expectation", "Perception"],
                "vi": ["Kỳ vọng", "Cảm nhận"],
            },
            ResponseFormat.THREE_COLUMN: {
                "en": ["Minimum", "Desired", "Perceived"],
                "vi": ["Tối thiểu", "Mong muốn", "Cảm nhận"],
            },
            ResponseFormat.PERCEPTIONS_ONLY: {"en": ["Perception"], "vi": ["Cảm nhận"]},
        }[self.format]
        cols = batteries.get(language, batteries["en"])
        scale_word = "Thang đo" if language == "vi" else "Scale"
        lines = [
            f"# {self.name}",
            "",
            f"{scale_word}: {low} = {anchors[0]} ... {high} = {anchors[1]}",
            "",
        ]
        for dim in self.dimensions:
            lines.append(f"## {_dimension_label(dim, language)}")
            lines.append("")
            lines.append("| # | " + " | ".join(["Item", *cols]) + " |")
            lines.append("|---|" + "---|" * (1 + len(cols)))
            for it in self.items:
                if it.dimension == dim:
                    mark = " (R)" if it.reverse else ""
                    blanks = " | ".join(f"{low}-{high}" for _ in cols)
                    lines.append(f"| {it.number} | {it.label(language)}{mark} | {blanks} |")
            lines.append("")
        return "\n".join(lines)


_SERVQUAL_LABELS: tuple[tuple[int, Dimension, str, str], ...] = (
    (1, Dimension.TANGIBLES, "Modern equipment", "Trang thiết bị hiện đại"),
    (2, Dimension.TANGIBLES, "Appealing facilities", "Cơ sở vật chất bắt mắt"),
    (3, Dimension.TANGIBLES, "Neatly presented staff", "Nhân viên gọn gàng, chỉn chu"),
    (4, Dimension.TANGIBLES, "Clear, attractive materials", "Tài liệu rõ ràng, đẹp mắt"),
    (5, Dimension.RELIABILITY, "Keeps promised times", "Làm đúng thời hạn đã hứa"),
    (6, Dimension.RELIABILITY, "Sincere help with problems", "Tận tình giải quyết vấn đề"),
    (7, Dimension.RELIABILITY, "Right the first time", "Làm đúng ngay từ lần đầu"),
    (8, Dimension.RELIABILITY, "Service on time as promised", "Phục vụ đúng giờ đã hẹn"),
    (9, Dimension.RELIABILITY, "Error-free records", "Hồ sơ không sai sót"),
    (10, Dimension.RESPONSIVENESS, "Says when service will happen", "Báo rõ khi nào phục vụ"),
    (11, Dimension.RESPONSIVENESS, "Prompt service", "Phục vụ nhanh chóng"),
    (12, Dimension.RESPONSIVENESS, "Always willing to help", "Luôn sẵn lòng giúp đỡ"),
    (13, Dimension.RESPONSIVENESS, "Never too busy to respond", "Không bao giờ quá bận để đáp ứng"),
    (14, Dimension.ASSURANCE, "Staff inspire confidence", "Nhân viên tạo được niềm tin"),
    (15, Dimension.ASSURANCE, "Safe transactions", "Giao dịch an toàn"),
    (16, Dimension.ASSURANCE, "Consistently courteous staff", "Nhân viên luôn lịch sự"),
    (17, Dimension.ASSURANCE, "Staff know the answers", "Nhân viên đủ hiểu biết để trả lời"),
    (18, Dimension.EMPATHY, "Individual attention", "Quan tâm đến từng khách hàng"),
    (19, Dimension.EMPATHY, "Convenient opening hours", "Giờ mở cửa thuận tiện"),
    (20, Dimension.EMPATHY, "Personal care from staff", "Nhân viên chăm sóc riêng từng người"),
    (21, Dimension.EMPATHY, "Customer's interests first", "Đặt lợi ích khách hàng lên trước"),
    (22, Dimension.EMPATHY, "Understands specific needs", "Hiểu nhu cầu riêng của khách"),
)

#: The 22 items of the 1991 SERVQUAL revision in published order (labels are cs8's own words).
SERVQUAL_ITEMS: tuple[Item, ...] = tuple(
    Item(number=n, dimension=d, text=en, labels={"en": en, "vi": vi})
    for n, d, en, vi in _SERVQUAL_LABELS
)

#: SERVQUAL as revised in 1991 (Parasuraman, Berry and Zeithaml, Journal of Retailing 67(4)),
#: all items positively worded, expectations and perceptions on a 1-7 agree scale.
SERVQUAL_1991 = Instrument(name="SERVQUAL 1991", items=SERVQUAL_ITEMS)

_REVERSED_1988 = frozenset({10, 11, 12, 13, 18, 19, 20, 21, 22})

#: SERVQUAL 1988 (Journal of Retailing 64(1)): items 10-13 and 18-22 were negatively worded and
#: are reverse-scored (8 - x) before any gap or reliability figure.
SERVQUAL_1988 = Instrument(
    name="SERVQUAL 1988",
    items=[attrs.evolve(it, reverse=it.number in _REVERSED_1988) for it in SERVQUAL_ITEMS],
)

#: The three-column format (minimum, desired, perceived; Parasuraman, Zeithaml and Berry 1994,
#: Journal of Retailing 70(3)) with the 1991 items on a 1-9 scale, as LibQUAL+ asks them.
SERVQUAL_THREE_COLUMN = Instrument(
    name="SERVQUAL three-column",
    items=SERVQUAL_ITEMS,
    scale=(1, 9),
    format=ResponseFormat.THREE_COLUMN,
    scale_labels={"en": ("Low", "High"), "vi": ("Thấp", "Cao")},
)

#: SERVPERF (Cronin and Taylor 1992, Journal of Marketing 56(3)): the 1991 items, perceptions only.
SERVPERF = Instrument(name="SERVPERF", items=SERVQUAL_ITEMS, format=ResponseFormat.PERCEPTIONS_ONLY)
