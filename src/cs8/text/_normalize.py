"""Normalising what customers type, in Vietnamese and English, before anything reads it.

Vietnamese chat text comes in many spellings of the same words: composed or decomposed Unicode,
the tone mark on either vowel of ``oa``/``oe``/``uy`` (``hòa`` and ``hoà``), no diacritics at all
(``khong duoc``), chat abbreviations (``ko``, ``dc``, ``sp``) and emoji. :func:`normalize` maps them
to one form; :func:`syllables` splits the result into syllables (Vietnamese words are written as
space-separated syllables, so no word segmenter is needed: syllable bigrams such as ``giao hàng``
and ``hoàn tiền`` carry the compound words).

Example:
    >>> normalize("Shop ship hàng nhanh, sp ko lỗi 👍")
    'shop giao hàng nhanh , sản phẩm không lỗi :thumbs_up_sign:'
    >>> strip_diacritics("Hoàn tiền được không?")
    'Hoan tien duoc khong?'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Literal, TypeAlias

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError

__all__ = [
    "ABBREVIATIONS",
    "Language",
    "detect_language",
    "normalize",
    "place_tone_marks",
    "strip_diacritics",
    "syllables",
]

Language: TypeAlias = Literal["vi", "en", "auto"]
"""A language code cs8.text understands: Vietnamese, English, or detect it from the text."""

# The five Vietnamese tone marks as combining characters (the level tone has none).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowels, with the quality marks (circumflex, breve, horn) already composed in.
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED = frozenset("ăâêôơư")

ABBREVIATIONS: FrozenDict[str, str] = FrozenDict(
    {
        # negation and "can / got"
        "ko": "không",
        "k": "không",
        "kg": "không",
        "khg": "không",
        "kh": "không",
        "hok": "không",
        "hk": "không",
        "khong": "không",
        "dc": "được",
        "đc": "được",
        "dk": "được",
        "đk": "được",
        "duoc": "được",
        # shopping
        "sp": "sản phẩm",
        "ship": "giao",
        "shiper": "người giao hàng",
        "shipper": "người giao hàng",
        "nv": "nhân viên",
        "đt": "điện thoại",
        "dt": "điện thoại",
        "tgdd": "thế giới di động",
        "tgdđ": "thế giới di động",
        # people and small words
        "mik": "mình",
        "mk": "mình",
        "mn": "mọi người",
        "ng": "người",
        "j": "gì",
        "z": "vậy",
        "vs": "với",
        "r": "rồi",
        "cx": "cũng",
        "cg": "cũng",
        "trc": "trước",
        "ntn": "như thế nào",
        "bt": "bình thường",
        "bth": "bình thường",
        "bik": "biết",
        "bít": "biết",
        "thik": "thích",
        "nhìu": "nhiều",
        "wá": "quá",
        "qá": "quá",
        "đag": "đang",
        "dag": "đang",
        "tl": "trả lời",
        "tks": "cảm ơn",
        "thanks": "cảm ơn",
        "thank": "cảm ơn",
        "oke": "ok",
        "okie": "ok",
        "okela": "ok",
        "oki": "ok",
        "ôk": "ok",
    }
)
"""Vietnamese chat abbreviations and their full forms (applied when the language is ``"vi"``)."""

# ASCII emoticons, read as the emoji they stand for.
_EMOTICONS: Mapping[str, str] = {
    ":)": ":slightly_smiling_face:",
    ":-)": ":slightly_smiling_face:",
    ":))": ":slightly_smiling_face:",
    ":)))": ":slightly_smiling_face:",
    "=)": ":slightly_smiling_face:",
    ":d": ":grinning_face:",
    ":(": ":slightly_frowning_face:",
    ":-(": ":slightly_frowning_face:",
    ":((": ":slightly_frowning_face:",
    ":'(": ":crying_face:",
    "<3": ":heavy_black_heart:",
}

_TOKEN = re.compile(r":[a-z0-9_]+:|[^\W_]+(?:['’][^\W_]+)*|[^\w\s]", re.UNICODE)
_EMOTICON = re.compile(
    "(?<![\\w:])(" + "|".join(re.escape(e) for e in sorted(_EMOTICONS, key=len, reverse=True)) + ")"
)
_REPEATED_MARK = re.compile(r"([^\w\s:])\1+", re.UNICODE)
_TRIPLE = re.compile(r"([^\W\d_])\1\1", re.UNICODE)
_VI_LETTERS = frozenset("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
_VI_LETTERS_UPPER = frozenset(ch.upper() for ch in _VI_LETTERS)
# Frequent Vietnamese syllables written without diacritics, and frequent English words: enough to
# tell the two apart when a text has no Vietnamese letter.
_VI_PLAIN = frozenset(
    [
        "khong",
        "duoc",
        "toi",
        "minh",
        "ban",
        "shop",
        "hang",
        "giao",
        "nhanh",
        "qua",
        "rat",
        "cho",
        "cua",
        "va",
        "la",
        "co",
        "nhung",
        "da",
        "roi",
        "nay",
        "thi",
        "sao",
        "van",
        "con",
        "mua",
        "tien",
        "hoan",
        "lam",
        "nhe",
        "a",
        "oi",
        "ko",
        "dc",
        "sp",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "i",
        "my",
        "you",
        "your",
        "to",
        "of",
        "and",
        "not",
        "it",
        "this",
        "that",
        "for",
        "on",
        "in",
        "with",
        "me",
        "have",
        "has",
        "can",
        "do",
        "does",
        "did",
        "be",
        "please",
        "thanks",
        "thank",
    ]
)


# Emoji and pictographs (and the arrows and dingbats often used as such).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2190-\u21ff]")


def _emoji_name(ch: str) -> str:
    """Return ``:name:`` for an emoji (its Unicode name, lowercase, words joined by ``_``)."""
    name = unicodedata.name(ch, "") or f"u{ord(ch):x}"
    return ":" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") + ":"


_BASE = {
    ch: unicodedata.normalize("NFD", ch)[0].replace("đ", "d")
    for ch in _VI_LETTERS | _VI_LETTERS_UPPER
}


def _collapse_letters(text: str) -> str:
    """Cut runs of three or more of the same letter (any accents) to one, keeping a marked one."""
    bases = "".join([_BASE.get(ch, ch) for ch in text])
    if not _TRIPLE.search(bases):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and bases[j] == bases[i] and bases[i].isalpha():
            j += 1
        if j - i >= 3:
            run = text[i:j]
            out.append(next((ch for ch in run if ch != bases[i]), run[0]))
        else:
            out.append(text[i:j])
        i = j
    return "".join(out)


def strip_diacritics(text: str) -> str:
    """Return ``text`` without accents, tone marks or the bar of ``đ`` (``Đ`` becomes ``D``).

    Example:
        >>> strip_diacritics("Giao hàng chậm, đổi trả khó")
        'Giao hang cham, doi tra kho'
    """
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept.replace("đ", "d").replace("Đ", "D"))


def _tone_of(syllable: str) -> tuple[str, str]:
    """Split a syllable into (syllable without its tone mark, NFC; the tone mark or '')."""
    tone = ""
    chars: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONES:
            tone = ch
        else:
            chars.append(ch)
    return unicodedata.normalize("NFC", "".join(chars)), tone


def _tone_position(base: str, style: Literal["old", "new"]) -> int | None:
    """The index in ``base`` (lowercase, no tone) of the vowel that carries the tone mark."""
    lower = base.lower()
    start = 0
    # "qu" and "gi" (before another vowel) are initial consonants: their vowel is not the nucleus.
    if lower.startswith("qu") or (
        lower.startswith("gi") and len(lower) > 2 and lower[2] in _VOWELS
    ):
        start = 2
    vowels = [i for i in range(start, len(lower)) if lower[i] in _VOWELS]
    if not vowels:
        # "gì", "gìn": the i of "gi" is the only vowel.
        vowels = [i for i in range(len(lower)) if lower[i] in _VOWELS]
        if not vowels:
            return None
    # Only the first run of vowels is the nucleus ("khuyên", "người").
    run = [vowels[0]]
    for i in vowels[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    marked = [i for i in run if lower[i] in _MARKED]
    if marked:
        return marked[-1]  # "ươ" carries it on the ơ, "uyê" on the ê
    if len(run) == 1:
        return run[0]
    final = run[-1] + 1 < len(lower)
    if len(run) >= 3 or final:
        return run[1]
    pair = lower[run[0]] + lower[run[1]]
    if style == "new" and pair in ("oa", "oe", "uy"):
        return run[1]
    return run[0]


def place_tone_marks(text: str, style: Literal["old", "new"] = "old") -> str:
    """Return ``text`` with each Vietnamese tone mark on the vowel the chosen style puts it on.

    The two styles differ only for ``oa``, ``oe`` and ``uy`` at the end of a syllable: the old
    (traditional) style writes ``hòa``, ``khỏe``, ``thủy``, the new style ``hoà``, ``khoẻ``,
    ``thuỷ``. Syllables without a tone mark, and non-Vietnamese words, come back unchanged
    (composed, NFC).

    Args:
        text: Any text.
        style: ``"old"`` (the default: the more frequent spelling in typed text) or ``"new"``.

    Raises:
        InvalidValueError: If ``style`` is neither.

    Example:
        >>> place_tone_marks("hoà thuỷ khoẻ hoàng")
        'hòa thủy khỏe hoàng'
        >>> place_tone_marks("hòa thủy", style="new")
        'hoà thuỷ'
    """
    if style not in ("old", "new"):
        raise InvalidValueError(f"place_tone_marks style must be 'old' or 'new', got {style!r}")

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        base, tone = _tone_of(word)
        if not tone:
            return base
        at = _tone_position(base, style)
        if at is None:
            return unicodedata.normalize("NFC", word)
        return unicodedata.normalize("NFC", base[: at + 1] + tone + base[at + 1 :])

    return re.sub(r"[^\W\d_]+", fix, unicodedata.normalize("NFC", text))


def detect_language(text: str) -> Literal["vi", "en"]:
    """Return ``"vi"`` or ``"en"``: Vietnamese letters decide, else frequent words do.

    Example:
        >>> detect_language("giao hàng chậm"), detect_language("my card was charged twice")
        ('vi', 'en')
        >>> detect_language("ko nhan duoc hang")
        'vi'
    """
    lower = text.lower()
    if any(ch in _VI_LETTERS for ch in unicodedata.normalize("NFC", lower)):
        return "vi"
    words = re.findall(r"[a-z']+", lower)
    vi = sum(w in _VI_PLAIN for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "vi" if vi > en else "en"


def _resolve(text: str, language: str) -> Literal["vi", "en"]:
    if language == "auto":
        return detect_language(text)
    if language in ("vi", "en"):
        return "vi" if language == "vi" else "en"
    raise InvalidValueError(f"language must be 'vi', 'en' or 'auto', got {language!r}")


def normalize(text: str, language: Language = "auto", *, expand: bool = True) -> str:
    """Return ``text`` in one canonical form: what the classifier and the lexicons read.

    Steps: Unicode NFC; lowercase; letters repeated three times or more cut to one
    (``ngonnnn`` -> ``ngon``), repeated punctuation to one mark; emoji and emoticons as ``:name:`` tokens (``👍`` ->
    ``:thumbs_up_sign:``); tokens separated by single spaces, punctuation kept as its own token. For
    Vietnamese also: tone marks in the old style (:func:`place_tone_marks`) and chat abbreviations
    expanded (:data:`ABBREVIATIONS`, when ``expand``).

    Args:
        text: What the customer wrote.
        language: ``"vi"``, ``"en"`` or ``"auto"`` (:func:`detect_language`).
        expand: Whether to expand Vietnamese chat abbreviations.

    Raises:
        InvalidValueError: If ``text`` is not a string or ``language`` is unknown.

    Example:
        >>> normalize("Hoà tiền chưa dc :(", "vi")
        'hòa tiền chưa được :slightly_frowning_face:'
        >>> normalize("NOOO!!! my card is BLOCKED", "en")
        'no ! my card is blocked'
    """
    if not isinstance(text, str):
        raise InvalidValueError(f"normalize text must be a string, got {text!r}")
    lang = _resolve(text, language)
    out = unicodedata.normalize("NFC", text).lower()
    out = _EMOTICON.sub(lambda m: f" {_EMOTICONS[m.group(1)]} ", out)
    out = _EMOJI.sub(lambda m: f" {_emoji_name(m.group(0))} ", out)
    out = _collapse_letters(_REPEATED_MARK.sub(r"\1", out))
    if lang == "vi":
        out = place_tone_marks(out)
    tokens = _TOKEN.findall(out)
    if lang == "vi" and expand:
        tokens = [ABBREVIATIONS.get(t, t) for t in tokens]
    return " ".join(tokens)


def syllables(text: str, language: Language = "auto") -> list[str]:
    """Return the normalised tokens of ``text`` (syllables in Vietnamese, words in English).

    Example:
        >>> syllables("Hoàn tiền giúp mình nha shop!!", "vi")
        ['hoàn', 'tiền', 'giúp', 'mình', 'nha', 'shop', '!']
    """
    return normalize(text, language).split()
