"""Features of a text for the classifier: syllable (word) n-grams and character n-grams.

No word segmenter: Vietnamese compound words (``giao hàng``, ``hoàn tiền``) are syllable bigrams,
and character n-grams inside each syllable absorb typos and missing diacritics.

Example:
    >>> spec = FeatureSpec(word_ngrams=(1, 2), plain=True)
    >>> sorted(spec.extract("Hoàn tiền", "vi"))
    ['p:hoan', 'p:hoan tien', 'p:tien', 'w:hoàn', 'w:hoàn tiền', 'w:tiền']
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

import attrs

from cs8.exceptions import InvalidValueError
from cs8.text._normalize import Language, normalize, strip_diacritics

__all__ = ["FeatureSpec", "feature_text"]


def _ngram_range(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attribute.name == "char_ngrams":
        return
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 1 <= value[0] <= value[1] <= 8
    ):
        raise InvalidValueError(
            f"FeatureSpec.{attribute.name} must be a pair (low, high) with 1 <= low <= high <= 8, "
            f"got {value!r}"
        )


def _pair(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class FeatureSpec:
    """Which features a classifier reads from a text.

    Args:
        word_ngrams: Lengths of syllable (word) n-grams, e.g. ``(1, 2)`` for single syllables and
            pairs of neighbours.
        char_ngrams: Lengths of character n-grams taken inside each syllable (with ``<`` and ``>``
            marking its ends), or ``None`` for none.
        plain: Also add the n-grams of the text without diacritics (Vietnamese typed without
            accents then meets the same features).
        punctuation: Keep punctuation tokens (``?``, ``!``) as features.

    Example:
        >>> FeatureSpec.for_language("vi").char_ngrams
        (2, 4)
    """

    word_ngrams: tuple[int, int] = attrs.field(
        default=(1, 2), converter=_pair, validator=_ngram_range
    )
    char_ngrams: tuple[int, int] | None = attrs.field(
        default=None, converter=_pair, validator=_ngram_range
    )
    plain: bool = False
    punctuation: bool = True

    @classmethod
    def for_language(cls, language: Literal["vi", "en"]) -> FeatureSpec:
        """Return the default features for a language.

        English: single words and pairs. Vietnamese: syllables and pairs, the same without
        diacritics, and character 2- to 4-grams.

        Example:
            >>> FeatureSpec.for_language("en")
            FeatureSpec(word_ngrams=(1, 2), char_ngrams=None, plain=False, punctuation=True)
        """
        if language == "vi":
            return cls(word_ngrams=(1, 2), char_ngrams=(2, 4), plain=True)
        return cls()

    def to_dict(self) -> dict[str, object]:
        """Return the spec as JSON-ready data.

        Example:
            >>> FeatureSpec().to_dict()["word_ngrams"]
            [1, 2]
        """
        return {
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": None if self.char_ngrams is None else list(self.char_ngrams),
            "plain": self.plain,
            "punctuation": self.punctuation,
        }

    def extract(self, text: str, language: Language = "auto") -> Counter[str]:
        """Return the features of ``text`` with their counts.

        Feature names carry a prefix: ``w:`` syllable n-grams, ``p:`` the same without
        diacritics, ``c:`` character n-grams.

        Example:
            >>> FeatureSpec(word_ngrams=(1, 1), char_ngrams=(3, 3)).extract("refund", "en")
            Counter({'w:refund': 1, 'c:<re': 1, 'c:ref': 1, 'c:efu': 1, 'c:fun': 1, 'c:und': 1, 'c:nd>': 1})
        """
        tokens = normalize(text, language).split()
        if not self.punctuation:
            tokens = [t for t in tokens if t[0].isalnum() or t.startswith(":")]
        counts: Counter[str] = Counter()
        low, high = self.word_ngrams
        _ngrams(tokens, low, high, "w:", counts)
        if self.plain:
            plain = [strip_diacritics(t) for t in tokens]
            if plain != tokens:
                _ngrams(plain, low, high, "p:", counts)
            else:
                for key in [k for k in counts if k.startswith("w:")]:
                    counts["p:" + key[2:]] += counts[key]
        if self.char_ngrams is not None:
            c_low, c_high = self.char_ngrams
            for token in tokens:
                if not token[0].isalnum():
                    continue
                marked = f"<{token}>"
                for n in range(c_low, c_high + 1):
                    for i in range(len(marked) - n + 1):
                        counts["c:" + marked[i : i + n]] += 1
        return counts


def _ngrams(tokens: list[str], low: int, high: int, prefix: str, counts: Counter[str]) -> None:
    for n in range(low, high + 1):
        for i in range(len(tokens) - n + 1):
            counts[prefix + " ".join(tokens[i : i + n])] += 1


def feature_text(feature: str) -> str:
    """Return the words a feature stands for, as evidence shows them.

    Example:
        >>> feature_text("w:hoàn tiền"), feature_text("c:<ref")
        ('hoàn tiền', 'ref…')
    """
    kind, _, body = feature.partition(":")
    if kind == "c":
        return (
            ("…" if not body.startswith("<") else "")
            + body.strip("<>")
            + ("…" if not body.endswith(">") else "")
        )
    return body
