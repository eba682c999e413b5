"""Shipped sentiment baselines for Vietnamese and English: lexicons with negation and degree words.

Nothing is downloaded and nothing is trained at run time: :func:`sentiment` reads a lexicon shipped
in the package. The rules are VADER's (Hutto and Gilbert, "VADER: A Parsimonious Rule-based Model
for Sentiment Analysis of Social Media Text", ICWSM 2014): a valence per word on -4..4, a degree
word before (or, in Vietnamese, after) it adds 0.293 to its strength, a negator up to three words
before it multiplies it by -0.74, the clause after "but" / "nhưng" weighs 1.5 and the one before
0.5, and the sum ``s`` becomes ``s / sqrt(s^2 + 15)`` in [-1, 1].

- Vietnamese: a lexicon written by the cs8 team (:mod:`cs8.text._lexicon_vi`), also matched on
  text typed without diacritics.
- English: VADER's lexicon (MIT licence, shipped as ``data/vader_lexicon.tsv`` with its licence),
  with VADER's negators and degree words; the negation fix: ``no`` is a negator, not a negative
  word, so "no problem" and "not bad" read positive.

Example:
    >>> sentiment("Giao hàng nhanh, đóng gói cẩn thận").label
    'positive'
    >>> p = sentiment("Shop trả lời chậm quá, không hài lòng", language="vi")
    >>> p.label, p.evidence
    ('negative', ('hài lòng', 'chậm'))
    >>> sentiment("no problem, thanks!", language="en").label
    'positive'
"""

from __future__ import annotations

import functools
import math
from importlib import resources
from typing import Literal

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.text._classifier import Prediction
from cs8.text._normalize import Language, detect_language, normalize, strip_diacritics

__all__ = ["SentimentLexicon", "sentiment"]

_NEGATION = -0.74  # VADER's N_SCALAR
_CONTRAST_BEFORE, _CONTRAST_AFTER = 0.5, 1.5  # VADER's "but" rule
_ALPHA = 15.0  # VADER's normalisation constant
_THRESHOLD = 0.05  # VADER's usual cut between neutral and polar compound scores


def _frozen_floats(value: object) -> FrozenDict[str, float]:
    if isinstance(value, FrozenDict):
        return value
    if not isinstance(value, dict):
        raise InvalidValueError(f"SentimentLexicon: expected a mapping, got {value!r}")
    return FrozenDict({str(k): float(v) for k, v in value.items()})


def _frozen_words(value: object) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidValueError(f"SentimentLexicon: expected a set of words, got {value!r}")
    return frozenset(value)  # type: ignore[call-overload,no-any-return]


@attrs.frozen(kw_only=True)
class SentimentLexicon:
    """A sentiment lexicon and the words that modify it, in normalised form.

    Args:
        language: ``"vi"`` or ``"en"``: how texts are normalised.
        words: Word or phrase (syllables separated by one space) to valence in [-4, 4].
        negators: Words that reverse a sentiment word up to three words later.
        boosters: Degree words before a sentiment word, and what they add to its strength (a
            negative share lowers it: "slightly", "hơi").
        after_boosters: Degree words right after a sentiment word (``đẹp lắm``).
        contrast: Words after which a clause weighs more ("but", "nhưng").
        plain: Also match text typed without diacritics.
        plain_blocked: Syllables without diacritics never matched that way (too often another
            word).

    Example:
        >>> lex = SentimentLexicon(language="en", words={"slow": -1.5}, negators={"not"},
        ...                        boosters={"very": 0.293})
        >>> sentiment("very slow", lexicon=lex).value
        -0.4201...
    """

    language: Literal["vi", "en"]
    words: FrozenDict[str, float] = attrs.field(converter=_frozen_floats)
    negators: frozenset[str] = attrs.field(converter=_frozen_words)
    boosters: FrozenDict[str, float] = attrs.field(converter=_frozen_floats)
    after_boosters: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict, converter=_frozen_floats
    )
    contrast: frozenset[str] = attrs.field(factory=frozenset, converter=_frozen_words)
    plain: bool = False
    plain_blocked: frozenset[str] = attrs.field(factory=frozenset, converter=_frozen_words)
    # Derived lookup tables (not arguments).
    _longest: int = attrs.field(init=False, repr=False)
    _plain_words: FrozenDict[str, float] = attrs.field(init=False, repr=False)
    _plain_mods: FrozenDict[str, str] = attrs.field(init=False, repr=False)

    @_longest.default
    def _longest_phrase(self) -> int:
        names = [*self.words, *self.negators, *self.boosters, *self.after_boosters, *self.contrast]
        return max((n.count(" ") + 1 for n in names), default=1)

    @_plain_words.default
    def _plain_index(self) -> FrozenDict[str, float]:
        if not self.plain:
            return FrozenDict()
        seen: dict[str, float] = {}
        clash: set[str] = set()
        for word, valence in self.words.items():
            key = strip_diacritics(word)
            if key == word or key in self.plain_blocked:
                continue
            if key in seen and (seen[key] > 0) != (valence > 0):
                clash.add(key)
            seen.setdefault(key, valence)
        return FrozenDict({k: v for k, v in seen.items() if k not in clash})

    @_plain_mods.default
    def _plain_modifiers(self) -> FrozenDict[str, str]:
        if not self.plain:
            return FrozenDict()
        mods: dict[str, str] = {}
        for word in [*self.negators, *self.boosters, *self.after_boosters, *self.contrast]:
            key = strip_diacritics(word)
            if key != word and key not in self.plain_blocked:
                mods.setdefault(key, word)
        return FrozenDict(mods)

    # ------------------------------------------------------------ shipped lexicons

    @classmethod
    def vietnamese(cls) -> SentimentLexicon:
        """Return the shipped Vietnamese lexicon (written by the cs8 team).

        Example:
            >>> SentimentLexicon.vietnamese().words["nhiệt tình"]
            2.3
        """
        return _vietnamese()

    @classmethod
    def english(cls) -> SentimentLexicon:
        """Return the shipped English lexicon (VADER's, MIT licence, with the negation fix).

        Example:
            >>> SentimentLexicon.english().words["good"]
            1.9
        """
        return _english()

    # ------------------------------------------------------------ scoring

    def _canonical(self, phrase: str) -> str:
        """The modifier a phrase spells, with or without diacritics ('' if none)."""
        if phrase in self.negators or phrase in self.boosters or phrase in self.after_boosters:
            return phrase
        if phrase in self.contrast:
            return phrase
        return self._plain_mods.get(phrase, "")

    def _lookup(self, tokens: list[str], i: int) -> tuple[str, int, float] | None:
        """The longest sentiment phrase starting at ``tokens[i]``: (text, length, valence)."""
        for length in range(min(self._longest, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + length])
            valence = self.words.get(phrase)
            if valence is None and self.plain and phrase.isascii():
                valence = self._plain_words.get(phrase)
            if valence is not None:
                return phrase, length, valence
        return None

    def _modifier(self, tokens: list[str], end: int) -> tuple[str, int]:
        """The longest modifier ending just before ``end``: (canonical form, length)."""
        for length in range(min(self._longest, end), 0, -1):
            found = self._canonical(" ".join(tokens[end - length : end]))
            if found:
                return found, length
        return "", 0

    def score(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        """Return the compound polarity of ``text`` in [-1, 1] and each sentiment word's share.

        Example:
            >>> value, parts = SentimentLexicon.vietnamese().score("hàng đẹp lắm")
            >>> round(value, 3), parts
            (0.509, [('đẹp', 2.293)])
        """
        tokens = normalize(text, self.language).split()
        found: list[tuple[str, float, int]] = []  # (phrase, valence, clause index)
        clause = 0
        contrast_at = -1
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            if not (token[0].isalnum() or token.startswith(":")):
                clause += 1
                i += 1
                continue
            canonical = self._canonical(token) or self._canonical(" ".join(tokens[i : i + 2]))
            if canonical in self.contrast:
                contrast_at = len(found)
            match = self._lookup(tokens, i)
            if match is None:
                i += 1
                continue
            phrase, length, valence = match
            first = self._canonical(tokens[i])
            if first in self.negators and length > 1 and self._lookup(tokens, i + length):
                i += 1  # "không được tốt": the negator reverses "tốt", not an idiom
                continue
            strength, negated = self._modifiers_before(tokens, i)
            j = i + length
            while j < n:
                after = self._canonical(tokens[j])
                if after not in self.after_boosters:
                    break
                strength += self.after_boosters[after]
                j += 1
            if strength:
                valence += strength if valence > 0 else -strength
            if negated:
                valence *= _NEGATION
            found.append((phrase, valence, clause))
            i = j
        parts: list[tuple[str, float]] = []
        for index, (phrase, valence, _) in enumerate(found):
            if contrast_at >= 0:
                valence *= _CONTRAST_BEFORE if index < contrast_at else _CONTRAST_AFTER
            parts.append((phrase, round(valence, 6)))
        total = sum(v for _, v in parts)
        return total / math.sqrt(total * total + _ALPHA), parts

    def _modifiers_before(self, tokens: list[str], i: int) -> tuple[float, bool]:
        """Degree words and negation in the three words before ``tokens[i]``, within a clause."""
        strength = 0.0
        negated = False
        end = i
        distance = 0
        while end > 0 and distance < 3:
            previous = tokens[end - 1]
            if not (previous[0].isalnum() or previous.startswith(":")):
                break
            modifier, length = self._modifier(tokens, end)
            if not length:
                if self._lookup(tokens, end - 1) is not None:
                    break  # another sentiment word: its own modifiers are its own
                length = 1
            elif modifier in self.contrast:
                break  # "I don't know but good": the negation stays in its own clause
            elif modifier in self.negators:
                negated = True
            elif modifier in self.boosters:
                strength += self.boosters[modifier] * (1.0 - 0.05 * distance)
            end -= length
            distance += 1
        return strength, negated


@functools.cache
def _vietnamese() -> SentimentLexicon:
    from cs8.text import _lexicon_vi as vi

    return SentimentLexicon(
        language="vi",
        words=vi.WORDS,
        negators=vi.NEGATORS,
        boosters=vi.BOOSTERS,
        after_boosters=vi.AFTER_BOOSTERS,
        contrast=vi.CONTRAST,
        plain=True,
        plain_blocked=vi.PLAIN_BLOCKED,
    )


# VADER's negators and degree words (vaderSentiment 3.3.2, MIT licence), plus "no".
_EN_NEGATORS = [
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
    "no",
]
_EN_UP = [
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
]
_EN_DOWN = [
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "just enough",
    "kind of",
    "sort of",
]
# Idioms (VADER's special cases and the negation fix).
_EN_IDIOMS = {
    "no problem": 1.5,
    "no problems": 1.5,
    "no worries": 1.5,
    "no issue": 1.2,
    "no issues": 1.2,
    "the shit": 3.0,
    "the bomb": 3.0,
    "bad ass": 1.5,
    "badass": 1.5,
    "yeah right": -2.0,
    "kiss of death": -1.5,
    "to die for": 3.0,
    "cut the mustard": 2.0,
    "under the weather": -2.0,
}


@functools.cache
def _english() -> SentimentLexicon:
    from cs8.text import _lexicon_vi as vi

    words: dict[str, float] = {}
    text = resources.files("cs8.text").joinpath("data/vader_lexicon.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.partition("\t")
            words[word] = float(value)
    for word in _EN_NEGATORS:
        words.pop(word, None)
    words.update({k: v for k, v in vi.WORDS.items() if k.startswith(":")})
    words.update(_EN_IDIOMS)
    return SentimentLexicon(
        language="en",
        words=words,
        negators=frozenset(_EN_NEGATORS),
        boosters={**dict.fromkeys(_EN_UP, 0.293), **dict.fromkeys(_EN_DOWN, -0.293)},
        contrast={"but", "however"},
    )


def sentiment(
    text: str, language: Language = "auto", *, lexicon: SentimentLexicon | None = None
) -> Prediction:
    """Return the sentiment of ``text`` from a shipped lexicon: no download, no training.

    The label is ``"negative"`` when the compound polarity is at most -0.05, ``"positive"`` when
    at least 0.05, else ``"neutral"``. ``value`` is the polarity in [-1, 1] (what
    ``Interaction.sentiment`` holds). ``scores`` splits it into the three labels (the positive
    and negative parts of the polarity and the rest); they are not calibrated probabilities.
    ``evidence`` lists the sentiment words found, strongest towards the label first.

    Args:
        text: What the customer wrote.
        language: ``"vi"``, ``"en"`` or ``"auto"`` (:func:`~cs8.text.detect_language`).
        lexicon: A lexicon of your own instead of the shipped one.

    Raises:
        InvalidValueError: If ``text`` is not a string or ``language`` is unknown.

    Example:
        >>> p = sentiment("Nhân viên tư vấn nhiệt tình, máy hơi nóng")
        >>> p.label, round(p.value, 2), p.evidence
        ('positive', 0.34, ('nhiệt tình',))
        >>> sentiment("The card still hasn't arrived. Not happy.").label
        'negative'
    """
    if not isinstance(text, str):
        raise InvalidValueError(f"sentiment text must be a string, got {text!r}")
    if lexicon is None:
        if language == "auto":
            language = detect_language(text)
        if language == "vi":
            lexicon = _vietnamese()
        elif language == "en":
            lexicon = _english()
        else:
            raise InvalidValueError(f"language must be 'vi', 'en' or 'auto', got {language!r}")
    value, parts = lexicon.score(text)
    if value <= -_THRESHOLD:
        label = "negative"
    elif value >= _THRESHOLD:
        label = "positive"
    else:
        label = "neutral"
    sign = -1.0 if label == "negative" else 1.0
    ranked = sorted(parts, key=lambda p: -sign * p[1])
    evidence = tuple(dict.fromkeys(w for w, v in ranked if v * sign > 0 or label == "neutral"))
    scores = {
        "positive": max(value, 0.0),
        "negative": max(-value, 0.0),
        "neutral": 1.0 - abs(value),
    }
    return Prediction(
        label=label, score=scores[label], evidence=evidence[:3], scores=scores, value=value
    )
