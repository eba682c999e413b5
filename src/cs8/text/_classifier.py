"""A text classifier trained on a user's own labelled tickets; a model is JSON data.

:meth:`TextClassifier.train` fits a multinomial logistic regression on TF-IDF weighted syllable
(and optionally character) n-grams, offline, with numpy and scipy (the ``text`` extra). The trained model is
plain data: its vocabulary, IDF weights and coefficients, written by :meth:`TextClassifier.to_json`
as JSON (the numbers as base64 little-endian float32, so a model of a few megabytes loads in
milliseconds). Loading and predicting use only the standard library; nothing is ever unpickled.

Example:
    >>> texts = ["refund my order", "I want my money back", "where is my parcel",
    ...          "my package has not arrived", "refund please", "parcel still not delivered"]
    >>> labels = ["refund", "refund", "delivery", "delivery", "refund", "delivery"]
    >>> clf = TextClassifier.train(texts, labels, language="en", calibrate=False)
    >>> p = clf.predict("I want a refund")
    >>> p.label, p.evidence[0]
    ('refund', 'refund')
    >>> TextClassifier.from_json(clf.to_json()).predict("I want a refund").label
    'refund'
"""

from __future__ import annotations

import base64
import json
import math
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from cs8._frozen import FrozenDict
from cs8._optional import require
from cs8.exceptions import InvalidValueError, SerializationError
from cs8.text._features import FeatureSpec, feature_text
from cs8.text._normalize import Language, detect_language

__all__ = ["Prediction", "TextClassifier"]

_FORMAT = "cs8.text.TextClassifier"
_VERSION = 1


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _float_map(values: Mapping[str, float]) -> FrozenDict[str, float]:
    return values if isinstance(values, FrozenDict) else FrozenDict(values)


def _info_map(values: Mapping[str, float | int | str]) -> FrozenDict[str, float | int | str]:
    return values if isinstance(values, FrozenDict) else FrozenDict(values)


@attrs.frozen(kw_only=True)
class Prediction:
    """What a classifier or a sentiment baseline read in one text.

    Args:
        label: The predicted label.
        score: Its probability in [0, 1] (calibrated for a trained classifier).
        evidence: The words that weighed most towards ``label``, strongest first.
        scores: Every label's probability.
        value: For sentiment, the signed polarity in [-1, 1] (negative below 0); else ``None``.

    Example:
        >>> p = Prediction(label="refund", score=0.9, evidence=("hoàn tiền",),
        ...                scores={"refund": 0.9, "other": 0.1})
        >>> p.label, p.scores["other"]
        ('refund', 0.1)
    """

    label: str
    score: float
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    scores: FrozenDict[str, float] = attrs.field(factory=FrozenDict, converter=_float_map)
    value: float | None = None

    def __str__(self) -> str:
        why = f" ({', '.join(self.evidence)})" if self.evidence else ""
        return f"{self.label} {self.score:.0%}{why}"


def _floats_to_b64(values: Iterable[float]) -> str:
    data = array("f", values)
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        data.byteswap()
    return base64.b64encode(data.tobytes()).decode("ascii")


def _b64_to_floats(text: str, expected: int, what: str) -> array[float]:
    data = array("f")
    data.frombytes(base64.b64decode(text.encode("ascii"), validate=True))
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        data.byteswap()
    if len(data) != expected:
        raise SerializationError(
            f"TextClassifier.from_json: {what} holds {len(data)} numbers, expected {expected}"
        )
    return data


def _check_inputs(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) != len(labels):
        raise InvalidValueError(
            f"TextClassifier.train: {len(texts)} texts but {len(labels)} labels"
        )
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if not isinstance(text, str):
            raise InvalidValueError(f"TextClassifier.train: texts[{i}] is not a string: {text!r}")
        if not isinstance(label, str) or not label:
            raise InvalidValueError(
                f"TextClassifier.train: labels[{i}] must be a non-empty string, got {label!r}"
            )
    if len(set(labels)) < 2:
        raise InvalidValueError(
            f"TextClassifier.train needs at least two distinct labels, got {sorted(set(labels))!r}"
        )


@attrs.frozen(kw_only=True, eq=False)
class TextClassifier:
    """A trained text classifier: vocabulary, IDF weights and coefficients (read-only, thread-safe).

    Build one with :meth:`train` or :meth:`from_json`; the constructor takes the model's data as
    they are stored.

    Args:
        labels: The labels, in the order of the coefficient columns.
        language: ``"vi"`` or ``"en"``: how texts are normalised.
        features: Which features are read.
        vocabulary: Feature name to row index, in row order (0, 1, 2 ...).
        idf: The inverse document frequency of each feature.
        weights: Coefficients, row-major ``len(vocabulary) x len(labels)``.
        bias: One intercept per label.
        temperature: Scores are divided by it before the softmax (calibration).
        info: Facts about the training run (sizes, regularisation).

    Example:
        >>> clf = TextClassifier.train(["good", "bad", "great", "awful"],
        ...                            ["pos", "neg", "pos", "neg"], calibrate=False)
        >>> clf.labels
        ('neg', 'pos')
    """

    labels: tuple[str, ...]
    language: Literal["vi", "en"]
    features: FeatureSpec
    vocabulary: FrozenDict[str, int]
    idf: array[float] = attrs.field(repr=False)
    weights: array[float] = attrs.field(repr=False)
    bias: tuple[float, ...]
    temperature: float = 1.0
    info: FrozenDict[str, float | int | str] = attrs.field(factory=FrozenDict, converter=_info_map)
    # Feature names by row, for evidence (derived from the vocabulary, not an argument).
    _names: tuple[str, ...] = attrs.field(init=False, repr=False)

    @_names.default
    def _names_from_vocabulary(self) -> tuple[str, ...]:
        names = tuple(self.vocabulary)
        if list(map(self.vocabulary.__getitem__, names)) != list(range(len(names))):
            raise InvalidValueError(
                "TextClassifier.vocabulary must map the features, in row order, to 0, 1, 2 ..."
            )
        return names

    # ---------------------------------------------------------------- training

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        language: Language = "auto",
        *,
        features: FeatureSpec | None = None,
        C: float = 10.0,
        min_df: int = 2,
        calibrate: bool = True,
        max_iter: int = 300,
        seed: int = 0,
    ) -> TextClassifier:
        """Fit a classifier on labelled texts, offline (needs numpy and scipy: the ``text`` extra).

        The model is an L2-regularised multinomial logistic regression (the objective of
        scikit-learn's ``LogisticRegression``) on sublinear TF-IDF features scaled to unit length.
        With ``calibrate``, a temperature is fitted on a held-out sixth of the data (stratified,
        shuffled with ``seed``) and the model is then refitted on everything.

        Args:
            texts: The texts.
            labels: One label per text (at least two distinct).
            language: ``"vi"``, ``"en"`` or ``"auto"`` (the most frequent language of ``texts``).
            features: The features; the language's default when ``None``.
            C: Inverse regularisation strength (larger fits the training data more closely).
            min_df: Features seen in fewer training texts are dropped.
            calibrate: Fit a temperature so that scores are calibrated probabilities.
            max_iter: L-BFGS iterations at most.
            seed: Seed of the calibration split.

        Raises:
            InvalidValueError: If texts and labels differ in length, a label is empty or there
                are fewer than two labels.
            MissingExtraError: If numpy or scipy is not installed.

        Example:
            >>> clf = TextClassifier.train(["ko nhận được hàng", "giao hàng chậm quá",
            ...     "hoàn tiền giúp mình", "mình muốn hoàn tiền"],
            ...     ["delivery", "delivery", "refund", "refund"], language="vi", min_df=1,
            ...     calibrate=False)
            >>> clf.predict("hoan tien cho minh").label
            'refund'
        """
        np = require("numpy", "text", "TextClassifier.train")
        sparse = require("scipy.sparse", "text", "TextClassifier.train")
        from cs8.text._train import fit_logistic, fit_temperature

        texts, labels = list(texts), list(labels)
        _check_inputs(texts, labels)
        if not (isinstance(C, int | float) and C > 0 and math.isfinite(C)):
            raise InvalidValueError(f"TextClassifier.train C must be a positive number, got {C!r}")
        if not isinstance(min_df, int) or min_df < 1:
            raise InvalidValueError(f"TextClassifier.train min_df must be >= 1, got {min_df!r}")
        if language == "auto":
            votes = [detect_language(t) for t in texts]
            lang: Literal["vi", "en"] = "vi" if votes.count("vi") > len(votes) / 2 else "en"
        elif language in ("vi", "en"):
            lang = language
        else:
            raise InvalidValueError(f"language must be 'vi', 'en' or 'auto', got {language!r}")
        spec = features if features is not None else FeatureSpec.for_language(lang)

        counted = [spec.extract(t, lang) for t in texts]
        df: dict[str, int] = {}
        for counts in counted:
            for name in counts:
                df[name] = df.get(name, 0) + 1
        names = sorted(name for name, d in df.items() if d >= min_df)
        vocabulary = {name: i for i, name in enumerate(names)}
        n = len(texts)
        idf = [math.log((1 + n) / (1 + df[name])) + 1 for name in names]
        rows = [_weigh(counts, vocabulary, idf) for counts in counted]
        indptr = np.cumsum([0] + [len(r) for r in rows])
        matrix = sparse.csr_matrix(
            (
                np.fromiter((v for r in rows for _, v in r), dtype=np.float64, count=indptr[-1]),
                np.fromiter((j for r in rows for j, _ in r), dtype=np.int64, count=indptr[-1]),
                indptr,
            ),
            shape=(len(rows), len(names)),
        )
        classes = tuple(sorted(set(labels)))
        index = {label: i for i, label in enumerate(classes)}
        y = np.array([index[label] for label in labels])

        temperature = 1.0
        start = None
        if calibrate:
            held = _held_out(y, len(classes), seed)
            if held is not None:
                fit_rows = np.setdiff1d(np.arange(n), held)
                w, b = fit_logistic(
                    matrix[fit_rows], y[fit_rows], len(classes), C, max_iter=max_iter
                )
                temperature = fit_temperature(matrix[held] @ w + b, y[held])
                start = (w, b)
        w, b = fit_logistic(matrix, y, len(classes), C, max_iter=max_iter, start=start)
        return cls(
            labels=classes,
            language=lang,
            features=spec,
            vocabulary=FrozenDict(vocabulary),
            idf=array("f", idf),
            weights=array("f", w.astype(np.float32).ravel().tolist()),
            bias=tuple(float(v) for v in b),
            temperature=temperature,
            info=FrozenDict({"n_train": n, "n_features": len(names), "C": float(C)}),
        )

    # ---------------------------------------------------------------- prediction

    def predict(self, text: str, *, evidence: int = 3) -> Prediction:
        """Return the most probable label of ``text``, its probability and the words behind it.

        Args:
            text: What the customer wrote.
            evidence: How many features to name in :attr:`Prediction.evidence`.

        Example:
            >>> clf = TextClassifier.train(["good", "bad", "great", "awful"],
            ...                            ["pos", "neg", "pos", "neg"], min_df=1, calibrate=False)
            >>> str(clf.predict("good"))
            'pos 89% (good)'
        """
        if not isinstance(text, str):
            raise InvalidValueError(f"TextClassifier.predict text must be a string, got {text!r}")
        row = _weigh(self.features.extract(text, self.language), self.vocabulary, self.idf)
        k = len(self.labels)
        weights = self.weights
        scores = list(self.bias)
        for j, value in row:
            base = j * k
            for c in range(k):
                scores[c] += value * weights[base + c]
        t = self.temperature
        top = max(scores)
        exps = [math.exp((s - top) / t) for s in scores]
        total = sum(exps)
        probs = [e / total for e in exps]
        best = max(range(k), key=probs.__getitem__)
        names = self._names
        # Words (syllable n-grams, with or without diacritics) first; character n-grams only
        # when no word pushed towards the label.
        pushes = sorted(
            ((names[j].startswith("c:"), -value * weights[j * k + best], j) for j, value in row)
        )
        seen: list[str] = []
        for is_char, minus_push, j in pushes:
            if minus_push >= 0 or len(seen) >= evidence or (is_char and seen):
                continue
            shown = feature_text(names[j])
            if shown not in seen:
                seen.append(shown)
        return Prediction(
            label=self.labels[best],
            score=probs[best],
            evidence=tuple(seen),
            scores=FrozenDict(dict(zip(self.labels, probs, strict=True))),
        )

    def predict_many(self, texts: Iterable[str]) -> list[Prediction]:
        """Return :meth:`predict` of each text, in order.

        Example:
            >>> clf = TextClassifier.train(["good", "bad", "great", "awful"],
            ...                            ["pos", "neg", "pos", "neg"], min_df=1, calibrate=False)
            >>> [p.label for p in clf.predict_many(["bad", "great"])]
            ['neg', 'pos']
        """
        return [self.predict(t) for t in texts]

    # ---------------------------------------------------------------- JSON

    def to_json(self) -> str:
        """Return the model as a JSON document (no code, no pickle).

        Example:
            >>> clf = TextClassifier.train(["good", "bad"], ["pos", "neg"], min_df=1,
            ...                            calibrate=False)
            >>> json.loads(clf.to_json())["format"]
            'cs8.text.TextClassifier'
        """
        return json.dumps(
            {
                "format": _FORMAT,
                "version": _VERSION,
                "language": self.language,
                "labels": list(self.labels),
                "features": self.features.to_dict(),
                "vocabulary": list(self.vocabulary),
                "idf": _floats_to_b64(self.idf),
                "weights": _floats_to_b64(self.weights),
                "bias": list(self.bias),
                "temperature": self.temperature,
                "info": dict(self.info),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> TextClassifier:
        """Load a model written by :meth:`to_json`.

        Raises:
            SerializationError: If the document is not a cs8 text model or is inconsistent.

        Example:
            >>> TextClassifier.from_json('{"format": "something else"}')
            Traceback (most recent call last):
            ...
            cs8.exceptions.SerializationError: TextClassifier.from_json: not a cs8 text model (format 'something else')
        """
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SerializationError(f"TextClassifier.from_json: invalid JSON: {exc}") from exc
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
            raise SerializationError(
                f"TextClassifier.from_json: not a cs8 text model (format {got!r})"
            )
        if doc.get("version") != _VERSION:
            raise SerializationError(
                f"TextClassifier.from_json: unsupported version {doc.get('version')!r}"
            )
        try:
            labels = tuple(str(v) for v in doc["labels"])
            vocab = doc["vocabulary"]
            spec = doc["features"]
            features = FeatureSpec(
                word_ngrams=spec["word_ngrams"],
                char_ngrams=spec["char_ngrams"],
                plain=bool(spec["plain"]),
                punctuation=bool(spec["punctuation"]),
            )
            bias = tuple(float(v) for v in doc["bias"])
            language = doc["language"]
            if language not in ("vi", "en") or len(bias) != len(labels):
                raise SerializationError(
                    f"TextClassifier.from_json: bad language {language!r} or "
                    f"{len(bias)} intercepts for {len(labels)} labels"
                )
            return cls(
                labels=labels,
                language=language,
                features=features,
                vocabulary=FrozenDict({name: i for i, name in enumerate(vocab)}),
                idf=_b64_to_floats(doc["idf"], len(vocab), "idf"),
                weights=_b64_to_floats(doc["weights"], len(vocab) * len(labels), "weights"),
                bias=bias,
                temperature=float(doc["temperature"]),
                info=doc.get("info", {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SerializationError):
                raise
            raise SerializationError(f"TextClassifier.from_json: malformed model: {exc!r}") from exc


def _weigh(
    counts: dict[str, int], vocabulary: FrozenDict[str, int] | dict[str, int], idf: Sequence[float]
) -> list[tuple[int, float]]:
    """Sublinear TF-IDF values of the known features, scaled to unit length."""
    row: list[tuple[int, float]] = []
    for name, count in counts.items():
        j = vocabulary.get(name)
        if j is not None:
            row.append((j, (1.0 + math.log(count)) * idf[j]))
    norm = math.sqrt(sum(v * v for _, v in row))
    if norm > 0:
        row = [(j, v / norm) for j, v in row]
    row.sort()
    return row


def _held_out(y: Any, n_classes: int, seed: int) -> Any:
    """Every sixth text of each label, after a seeded shuffle; None when a label has too few."""
    np = require("numpy", "text", "TextClassifier.train")
    labels = np.asarray(y)
    rng = np.random.default_rng(seed)
    picked: list[Any] = []
    for c in range(n_classes):
        members = np.flatnonzero(labels == c)
        if len(members) < 6:
            return None
        rng.shuffle(members)
        picked.append(members[: len(members) // 6])
    return np.sort(np.concatenate(picked))
